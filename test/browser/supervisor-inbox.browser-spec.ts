import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { systemClock } from '../../apps/api/src/common/clock';
import { axeTable, runAxe } from '../support/axe';
import { ensureDashboardBuilt, launchBrowser, loginAs, screenshot } from '../support/browser';
import { http, login } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

const PASSWORD = 'vigil-demo';

/**
 * The supervisor's live escalation inbox in real Chromium (issue 12): a help request nobody
 * acknowledges is escalated (the patient's escalation shortened to 30 s, the protocol's lowest),
 * appears in the open inbox without a reload with who was paged and for how long, opens the
 * session in one click, and leaves the inbox once acknowledged. Also the FHIR export button.
 */
describe('supervisor escalation inbox (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let sessionId: string;
  let patient: string;
  let clinician: string;

  beforeAll(async () => {
    const dist = ensureDashboardBuilt();
    t = await createTestApp({
      env: { VIGIL_MODE: 'demo', DASHBOARD_DIST: dist },
      clock: systemClock,
    });
    patient = (await login(t.url, { email: 'patient1@vigil.demo' }, PASSWORD)).accessToken;
    clinician = (await login(t.url, { email: 'clinician@vigil.demo' }, PASSWORD)).accessToken;
    const supervisor = (await login(t.url, { email: 'supervisor@vigil.demo' }, PASSWORD))
      .accessToken;
    const session = (await http(t.url, 'GET', '/api/sessions?state=live', { token: patient }))
      .body[0];
    sessionId = session.id;
    const override = await http(
      t.url,
      'PUT',
      `/api/patients/${session.patient.id}/overrides/escalationHigh`,
      { token: supervisor, body: { value: 0.5, reason: 'browser test: escalate quickly' } },
    );
    expect(override.status).toBe(200);
    browser = await launchBrowser();
    page = await browser.newPage({
      viewport: { width: 1280, height: 800 },
      bypassCSP: true, // axe-core goes in as an inline script
      acceptDownloads: true,
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows an unacknowledged help request once it is escalated, live', async () => {
    await loginAs(page, t.url, 'supervisor@vigil.demo', PASSWORD);
    await page.waitForURL('**/supervisor');
    await page.getByRole('link', { name: 'Escalations' }).click();
    await page.getByTestId('inbox-empty').waitFor();
    const help = await http(t.url, 'POST', `/api/sessions/${sessionId}/help`, {
      token: patient,
      body: { clientId: 'inbox-help-1' },
    });
    expect(help.status).toBe(201);
    const row = page.getByTestId('inbox-row').filter({ hasText: 'Pat One' });
    await row.waitFor({ timeout: 90_000 });
    const text = await row.textContent();
    expect(text).toContain('High');
    expect(text).toMatch(/then the supervisors/);
    expect(text).toMatch(/\d+ s|\d+ min/);
    const axe = await runAxe(page, 'supervisor: escalation inbox');
    console.log(axeTable([axe]));
    expect({
      critical: axe.counts.critical,
      serious: axe.counts.serious,
      rules: axe.rules,
    }).toEqual(expect.objectContaining({ critical: 0, serious: 0 }));
    await screenshot(page, 'supervisor-escalation-inbox');
  }, 120_000);

  it('opens the session in one click, and the row leaves the inbox once acknowledged', async () => {
    const alertId = await page.getByTestId('inbox-row').first().getAttribute('data-alert-id');
    await page.getByRole('link', { name: 'Open Pat One’s session' }).click();
    await page.waitForURL(`**/sessions/${sessionId}`);
    await page.getByTestId('alerts-panel').waitFor();
    const ack = await http(t.url, 'POST', `/api/alerts/${alertId}/acknowledge`, {
      token: clinician,
      body: {},
    });
    expect(ack.status).toBe(200);
    await page.goBack();
    await page.getByTestId('inbox-empty').waitFor();
  });

  it('exports the session record as FHIR from the replay', async () => {
    await page.goto(`${t.url}/supervisor/sessions/${sessionId}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export FHIR' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`session-${sessionId}.fhir.json`);
    const bundle = JSON.parse(readFileSync((await download.path()) ?? '', 'utf8'));
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
  });
});
