import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { systemClock } from '../../apps/api/src/common/clock';
import { ensureDashboardBuilt, launchBrowser, loginAs, screenshot } from '../support/browser';
import { http, login } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

const PASSWORD = 'vigil-demo';

/**
 * The supervisor's pages in real Chromium against the real API (demo mode): session history,
 * a replay, the REMS report (print stylesheet and CSV), alert response and the audit log.
 */
describe('supervisor pages (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let sessionId: string;

  beforeAll(async () => {
    // The supervisor pages are new: never test against a stale build.
    process.env.REBUILD_DASHBOARD = '1';
    const dist = ensureDashboardBuilt();
    t = await createTestApp({
      env: { VIGIL_MODE: 'demo', DASHBOARD_DIST: dist },
      clock: systemClock,
    });
    const patient = (await login(t.url, { email: 'patient1@vigil.demo' }, PASSWORD)).accessToken;
    const clinician = (await login(t.url, { email: 'clinician@vigil.demo' }, PASSWORD)).accessToken;
    sessionId = (await http(t.url, 'GET', '/api/sessions?state=live', { token: patient })).body[0]
      .id;
    const post = (path: string, body: unknown) =>
      http(t.url, 'POST', `/api/sessions/${sessionId}/${path}`, { token: patient, body });
    const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
    for (const [i, [sbp, dbp, min]] of [
      [132, 84, 8],
      [152, 96, 5],
      [138, 86, 1],
    ].entries()) {
      await post('vitals', {
        clientId: `bp-${i}`,
        readings: [
          { kind: 'bp_systolic', value: sbp, measuredAt: ago(min) },
          { kind: 'bp_diastolic', value: dbp, measuredAt: ago(min) },
          { kind: 'heart_rate', value: 80 + i * 6, measuredAt: ago(min) },
          { kind: 'spo2', value: 97 - i, measuredAt: ago(min) },
        ],
      });
    }
    await post('check-ins', { clientId: 'ci-1', moaas: 4, dissociation: 3 });
    await post('help', { clientId: 'help-1' });
    await new Promise((r) => setTimeout(r, 500));
    const alerts = await http(t.url, 'GET', `/api/sessions/${sessionId}/alerts`, {
      token: clinician,
    });
    const help = (alerts.body as Array<{ id: string; condition: string }>).find(
      (a) => a.condition === 'help',
    );
    if (help)
      await http(t.url, 'POST', `/api/alerts/${help.id}/acknowledge`, {
        token: clinician,
        body: {},
      });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('logs in as the supervisor and lands on the session history', async () => {
    await loginAs(page, t.url, 'supervisor@vigil.demo', PASSWORD);
    await page.waitForURL('**/supervisor');
    // Pat One's monitoring session (the demo also schedules her next one).
    const row = page
      .getByTestId('history-row')
      .filter({ hasText: 'Pat One' })
      .filter({ hasText: 'monitoring' });
    await row.waitFor();
    expect(await row.textContent()).toContain('monitoring');
    await page.getByLabel('Outcome').selectOption('in_progress');
    await page.getByRole('button', { name: 'Search' }).click();
    await row.waitFor();
    await screenshot(page, 'supervisor-history');
  });

  it('replays the session with its event log and charts', async () => {
    await page
      .getByTestId('history-row')
      .filter({ hasText: 'Pat One' })
      .filter({ hasText: 'monitoring' })
      .getByRole('link', { name: 'Replay' })
      .click();
    await page.waitForURL(`**/supervisor/sessions/${sessionId}`);
    await page.getByRole('list', { name: 'Events in seq order' }).waitFor();
    expect(await page.getByRole('list', { name: 'Events in seq order' }).textContent()).toContain(
      'help.requested',
    );
    await page.getByTestId('charts').waitFor();
    await screenshot(page, 'supervisor-replay');
  });

  it('opens the REMS report, prints without the app chrome, and downloads the CSV', async () => {
    await page.getByRole('link', { name: 'REMS report' }).click();
    await page.getByRole('heading', { name: 'Session monitoring report' }).waitFor();
    expect(await page.locator('.sv-report').textContent()).toContain('Pat One');
    await screenshot(page, 'supervisor-report');
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await page.locator('.sv-tabs').isVisible()).toBe(false);
    await screenshot(page, 'supervisor-report-print');
    await page.emulateMedia({ media: 'screen' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^session_id,patient,clinician/);
    expect(csv).toContain(sessionId);
  });

  it('shows alert response figures', async () => {
    await page.getByRole('link', { name: 'Alert response' }).click();
    await page.getByRole('heading', { name: 'Time to acknowledge by clinician' }).waitFor();
    await screenshot(page, 'supervisor-alert-response');
  });

  it('shows the audit log, including this very viewing, and verifies the chain', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByTestId('audit-row').first().waitFor();
    await page.getByRole('button', { name: 'Verify the audit chain' }).click();
    await page.getByRole('status').filter({ hasText: 'Intact' }).waitFor();
    // Reads are in the Access view, apart from clinical actions and vitals submissions.
    await page.getByRole('radio', { name: 'Access' }).check();
    await page.getByLabel('Action', { exact: true }).fill('supervisor.*');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page
      .getByTestId('audit-row')
      .filter({ hasText: 'supervisor.report.read' })
      .first()
      .waitFor();
    await screenshot(page, 'supervisor-audit-log');
    await page.getByRole('radio', { name: 'Clinical actions' }).check();
    await page.getByLabel('Action', { exact: true }).fill('');
    await page
      .locator('label', { hasText: /^Patient/ })
      .locator('select')
      .selectOption({ label: 'Pat One' });
    await page.getByRole('button', { name: 'Filter' }).click();
    const clinical = page.getByTestId('audit-row').filter({ hasText: 'help.request' }).first();
    await clinical.waitFor();
    expect(await clinical.textContent()).toContain('Pat One');
    expect(await page.getByTestId('audit-row').filter({ hasText: 'vitals.submit' }).count()).toBe(
      0,
    );
    await screenshot(page, 'supervisor-audit-log-clinical');
  });

  it('still reaches the live board', async () => {
    await page.getByRole('link', { name: 'Live board →' }).click();
    await page.waitForURL('**/board');
    await page.getByTestId('tile').first().waitFor();
  });
});
