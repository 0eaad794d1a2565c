import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { axeTable, runAxe, type AxeRow } from '../support/axe';
import { loginAs, screenshot, SCREENSHOT_DIR } from '../support/browser';
import { http, TEST_PASSWORD } from '../support/factories';
import type { TestApp } from '../support/test-app';
import {
  DEMO_PASSWORD as PASSWORD,
  scheduledPatient,
  startDemoApp,
  type DemoApp,
} from './support/demo-app';
import { PHONE as PHONE_SCREEN, phoneView } from './support/phone';

// axe-core goes in as an inline script, which the app's CSP rightly refuses: bypass it in tests.
const PHONE = { ...PHONE_SCREEN, bypassCSP: true };

/**
 * Accessibility of every page in real Chromium (issue 12): axe-core on the login, the board, the
 * session view, each supervisor page and the patient's phone screens (0 critical, 0 serious),
 * printed as a table; the skip link; focus on the main heading after sign-in and route changes
 * and on the next alert after Acknowledge; new alerts said in an aria-live region.
 */
describe('accessibility (Chromium, axe-core)', () => {
  let demo: DemoApp;
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let sessionId: string;
  let patientToken: string;
  const rows: AxeRow[] = [];

  const audit = async (p: Page, name: string) => {
    const row = await runAxe(p, name);
    rows.push(row);
    expect({
      page: name,
      critical: row.counts.critical,
      serious: row.counts.serious,
      rules: row.rules,
    }).toEqual(expect.objectContaining({ critical: 0, serious: 0 }));
    return row;
  };
  const focusedText = (p: Page) =>
    p.evaluate(() => `${document.activeElement?.tagName}:${document.activeElement?.textContent}`);
  const vitals = (clientId: string, readings: Array<[string, number]>) =>
    http(t.url, 'POST', `/api/sessions/${sessionId}/vitals`, {
      token: patientToken,
      body: {
        clientId,
        readings: readings.map(([kind, value]) => ({
          kind,
          value,
          measuredAt: new Date().toISOString(),
          source: 'manual',
        })),
      },
    });

  beforeAll(async () => {
    // With the care team's number, so the help screen is audited with its tap-to-call link.
    demo = await startDemoApp({ env: { CARE_TEAM_PHONE: '+44 20 7946 0000' } });
    ({ t, browser, sessionId, patientToken } = demo);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  }, 180_000);

  afterAll(async () => {
    if (rows.length > 0) {
      const table = axeTable(rows);
      const rules = rows.flatMap((r) => r.rules.map((rule) => `${r.page}: ${rule}`));
      console.log(
        `axe-core violations by impact (rules, WCAG 2.x A/AA + best practices)\n${table}\n${rules.join('\n')}`,
      );
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      writeFileSync(resolve(SCREENSHOT_DIR, '../axe-table.md'), `${table}\n`);
    }
    await browser?.close();
    await t?.close();
  });

  it('login page: no serious violations', async () => {
    await page.goto(`${t.url}/login`);
    await page.getByRole('heading', { name: 'Vigil' }).waitFor();
    await audit(page, 'login');
  });

  it('board: a skip link first, focus on the heading after sign-in, no serious violations', async () => {
    await loginAs(page, t.url, 'clinician@vigil.demo', PASSWORD);
    await page.waitForURL('**/board');
    await page.getByTestId('tile').first().waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    // The skip link is the first stop in tab order, and shows itself when focused.
    const first = await page.evaluate(
      () =>
        document.querySelector<HTMLElement>(
          'a[href], button:not([disabled]), input, select, textarea, [tabindex="0"]',
        )?.textContent,
    );
    expect(first).toBe('Skip to main content');
    await page.focus('.skip-link');
    const box = await page.locator('.skip-link').boundingBox();
    expect(box && box.y >= 0).toBe(true);
    await screenshot(page, 'a11y-skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');
    await audit(page, 'board');
  });

  it('announces new high and medium alerts in a live region', async () => {
    expect(
      (
        await vitals('a11y-1', [
          ['bp_systolic', 186],
          ['bp_diastolic', 96],
        ])
      ).status,
    ).toBe(201);
    expect((await vitals('a11y-2', [['spo2', 90]])).status).toBe(201);
    const region = page.locator('[data-testid="alert-announcer"] [aria-live="assertive"]');
    await region.filter({ hasText: 'High alert for Pat One' }).waitFor();
    expect(await region.textContent()).toMatch(
      /High alert for Pat One: .*SBP|High alert for Pat One: .*SpO2/,
    );
  });

  it('session view: focus on the heading after the route change, then on the next alert after Acknowledge', async () => {
    await page.getByTestId('tile').filter({ hasText: 'Pat One' }).getByRole('link').first().click();
    await page.waitForURL(`**/sessions/${sessionId}`);
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    expect(await focusedText(page)).toContain('Pat One');
    const items = page.getByTestId('alert-item');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="alert-item"][data-alert-status="open"]').length >=
        2,
    );
    await audit(page, 'session view');
    await screenshot(page, 'a11y-session-view');
    const first = items.first();
    const firstId = await first.getAttribute('data-alert-id');
    await first.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForFunction((id) => {
      const el = document.activeElement as HTMLElement | null;
      return el?.dataset.testid === 'alert-item' && el.dataset.alertId !== id;
    }, firstId);
    expect(
      await page.evaluate(() => (document.activeElement as HTMLElement).dataset.alertStatus),
    ).toBe('open');
  });

  it('supervisor pages: focus on each heading, no serious violations', async () => {
    const sv = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await loginAs(sv, t.url, 'supervisor@vigil.demo', PASSWORD);
    await sv.waitForURL('**/supervisor');
    await sv.getByTestId('history-row').first().waitFor();
    await sv.waitForFunction(() => document.activeElement?.textContent === 'Session history');
    await audit(sv, 'supervisor: session history');

    await sv
      .getByTestId('history-row')
      .filter({ hasText: 'Pat One' })
      .filter({ hasText: 'monitoring' })
      .getByRole('link', { name: 'Replay' })
      .click();
    await sv.getByTestId('charts').waitFor();
    await sv.waitForFunction(() => document.activeElement?.tagName === 'H1');
    await audit(sv, 'supervisor: replay');

    await sv.getByRole('link', { name: 'REMS report' }).click();
    await sv.getByRole('heading', { name: 'Session monitoring report' }).waitFor();
    await audit(sv, 'supervisor: REMS report');

    await sv.getByRole('link', { name: 'Alert response' }).click();
    await sv.getByRole('heading', { name: 'Time to acknowledge by clinician' }).waitFor();
    await sv.waitForFunction(() => document.activeElement?.textContent === 'Alert response');
    await audit(sv, 'supervisor: alert response');

    await sv.getByRole('link', { name: 'Audit log' }).click();
    await sv.getByTestId('audit-row').first().waitFor();
    await audit(sv, 'supervisor: audit log');

    await sv.getByRole('link', { name: 'Escalations' }).click();
    await sv.getByRole('heading', { name: 'Escalations' }).waitFor();
    await audit(sv, 'supervisor: escalations');

    await sv.getByRole('link', { name: 'Schedule a session' }).click();
    await sv.getByRole('option', { name: 'Pat One' }).waitFor({ state: 'attached' });
    await audit(sv, 'supervisor: schedule');
    await sv.getByLabel('Patient').selectOption({ label: 'Pat One' });
    expect(await sv.getByLabel('Clinician').inputValue()).not.toBe('');
    await sv.getByRole('button', { name: 'Schedule' }).click();
    await sv
      .getByTestId('scheduled')
      .filter({ hasText: 'Pat One with Dr Casey Clinician' })
      .waitFor();
    await screenshot(sv, 'supervisor-schedule');

    await sv.getByRole('link', { name: 'Live board →' }).click();
    await sv.getByTestId('tile').first().waitFor();
    await audit(sv, 'supervisor: live board');
    await sv.close();
  });

  it('patient phone: an h1 on every screen, no serious violations (screening, monitoring, help)', async () => {
    const { patient: fresh } = await scheduledPatient(demo, 'Sam Fresh');
    const phone = await browser.newContext(PHONE);
    const screening = await phone.newPage();
    await loginAs(screening, t.url, fresh.email, TEST_PASSWORD);
    await screening.getByRole('heading', { name: 'Before the dose' }).waitFor();
    expect(await screening.locator('h1').count()).toBe(1);
    await audit(screening, 'patient: screening');
    await phone.close();

    const phone1 = await browser.newContext(PHONE);
    const p = await phone1.newPage();
    await loginAs(p, t.url, 'patient1@vigil.demo', PASSWORD);
    await p.getByRole('button', { name: 'Get help' }).waitFor();
    await p.waitForFunction(() => document.activeElement?.tagName === 'H1');
    await audit(p, 'patient: monitoring');
    await p.getByRole('button', { name: 'Get help' }).click();
    await p.getByRole('alertdialog', { name: 'Get help now?' }).waitFor();
    await audit(p, 'patient: help confirm');
    await p.getByRole('button', { name: 'Yes, alert my care team' }).click();
    await p.getByRole('heading', { name: 'Your care team has been alerted' }).waitFor();
    await audit(p, 'patient: help sent');
    // The help screen is a fixed overlay that scrolls on its own: a full-page picture would
    // stitch the page under it below the phone's screen height.
    await phoneView(p, 'a11y-patient-help');
    await phone1.close();
  });

  it("demo: once patient1's monitoring session ends, the phone opens the next one at screening", async () => {
    const abort = await http(t.url, 'POST', `/api/sessions/${sessionId}/transition`, {
      token: demo.clinicianToken,
      body: { clientId: 'a11y-end', action: 'abort', reason: 'Demo: try the next session' },
    });
    expect(abort.status).toBe(201);
    const phone = await browser.newContext(PHONE);
    const p = await phone.newPage();
    await loginAs(p, t.url, 'patient1@vigil.demo', PASSWORD);
    await p.getByRole('heading', { name: 'Before the dose' }).waitFor();
    await audit(p, 'patient1: next session, screening');
    await screenshot(p, 'demo-patient1-screening');
    await phone.close();
  });
});
