import type { Browser, Page } from 'playwright-core';
import { loginAs, screenshot } from '../support/browser';
import { http } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { DEMO_PASSWORD as PASSWORD, startDemoApp } from './support/demo-app';

/**
 * The clinician's dashboard in real Chromium against the real API on real PostgreSQL (demo
 * mode, wall clock): the board, a live vitals update raising an alert, and acting on it.
 */
describe('clinician dashboard (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let patientToken: string;
  let clinicianToken: string;
  let sessionId: string;
  let alertsRoute: boolean;

  const vitals = (readings: Array<[string, number, number?, 'manual'?]>) =>
    http(t.url, 'POST', `/api/sessions/${sessionId}/vitals`, {
      token: patientToken,
      body: {
        clientId: `browser-${Date.now()}-${Math.random().toString(36).slice(2)}`,
        readings: readings.map(([kind, value, agoMs = 0, source]) => ({
          kind,
          value,
          measuredAt: new Date(Date.now() - agoMs).toISOString(),
          ...(source ? { source } : {}),
        })),
      },
    });

  beforeAll(async () => {
    ({ t, browser, sessionId, patientToken, clinicianToken } = await startDemoApp());
    const alerts = await http(t.url, 'GET', `/api/sessions/${sessionId}/alerts`, {
      token: clinicianToken,
    });
    // The alert engine lands separately: its parts of this test run only where it exists.
    alertsRoute = alerts.status === 200;
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const tile = () => page.getByTestId('tile').filter({ hasText: 'Pat One' });

  it("logs in and shows patient1's tile with nothing shown as live before data arrives", async () => {
    await loginAs(page, t.url, 'clinician@vigil.demo', PASSWORD);
    await page.waitForURL('**/board');
    await tile().waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    expect(await tile().textContent()).toContain('Monitoring');
    // Until the session's history arrives the tile says it is loading, then that there is no
    // reading: never a value (the board asks for the visible tiles' histories after connecting).
    const bp = tile().getByTestId('vital-bp');
    expect(await bp.textContent()).toMatch(/loading…|no reading/);
    await bp.filter({ hasText: 'no reading' }).waitFor();
    await screenshot(page, 'dashboard-board-initial');
  });

  it('shows SBP 186 live on the tile and, with the alert engine, a high alert by icon and text', async () => {
    const res = await vitals([
      ['bp_systolic', 186],
      ['bp_diastolic', 96],
      ['heart_rate', 88],
      // A streamed SpO2 90 s old (stale after 30 s): must be marked stale, not shown as live.
      ['spo2', 97, 90_000],
      ['resp_rate', 14],
    ]);
    expect(res.status).toBe(201);
    const checkIn = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
      token: patientToken,
      body: {
        clientId: `browser-ci-${Date.now()}`,
        moaas: 4,
        dissociation: 3,
        nausea: 1,
        anxiety: 2,
        note: 'A bit floaty',
      },
    });
    expect(checkIn.status).toBe(201);
    await page.getByRole('button', { name: 'Not now' }).click();
    await tile().getByTestId('vital-bp').filter({ hasText: '186/96' }).waitFor({ timeout: 10_000 });
    expect(await tile().getByTestId('vital-spo2').textContent()).toMatch(/stale/i);
    expect(await tile().getByTestId('vital-heart_rate').textContent()).not.toMatch(/stale/i);
    if (alertsRoute) {
      const alert = tile().getByTestId('tile-alert');
      await alert.filter({ hasText: 'SBP 186 (limit 180)' }).waitFor({ timeout: 10_000 });
      expect(await alert.textContent()).toMatch(/High/);
      await page.waitForFunction(() => /^\(\d+\)/.test(document.title));
    }
    await screenshot(page, 'dashboard-board-alert');
  });

  it('pauses the station sound for 2 min with a countdown, the alerts still on screen', async () => {
    await page.getByRole('button', { name: 'Pause sound 2 min' }).click();
    const timer = page.getByRole('timer', { name: /^Sound paused, (2:00|1:5\d) left$/ });
    await timer.waitFor();
    if (alertsRoute) {
      expect(await tile().getByTestId('tile-alert').textContent()).toMatch(/High/);
    }
    expect(await page.getByTestId('tile').count()).toBeGreaterThan(0);
    await screenshot(page, 'dashboard-sound-paused');
    await page.getByRole('button', { name: 'Resume sound' }).click();
    await page.getByRole('button', { name: 'Pause sound 2 min' }).waitFor();
  });

  it('opens the session view with charts and acknowledges, silences and resolves the alert', async () => {
    await tile().getByRole('link', { name: 'Pat One' }).click();
    await page.waitForURL(`**/sessions/${sessionId}`);
    await page.getByTestId('charts').waitFor();
    expect(await page.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(4);
    // Nothing may hide off the right edge at 1280 px (an alert button did once).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1280,
    );
    await screenshot(page, 'dashboard-session-view');
    if (!alertsRoute) return;

    // The alert is followed by its id: once it is resolved, the engine may raise a new SBP alert
    // with the same words from the same reading, and a locator by text would then find that one.
    const alertId = await page
      .getByTestId('alert-item')
      .filter({ hasText: 'SBP 186 (limit 180)' })
      .first()
      .getAttribute('data-alert-id');
    expect(alertId).toBeTruthy();
    const item = page.locator(`[data-testid="alert-item"][data-alert-id="${alertId}"]`);
    await item.getByRole('button', { name: 'Acknowledge' }).click();
    await item.getByTestId('alert-status').filter({ hasText: 'Acknowledged by you' }).waitFor();
    const listed = await http(t.url, 'GET', `/api/sessions/${sessionId}/alerts`, {
      token: clinicianToken,
    });
    expect(listed.body.find((a: { condition: string }) => a.condition === 'sbp_high').status).toBe(
      'acknowledged',
    );

    await item.getByRole('button', { name: 'Silence 2 min' }).click();
    await item
      .getByTestId('silence-countdown')
      .filter({ hasText: /1:5\d|2:00/ })
      .waitFor();
    await screenshot(page, 'dashboard-session-acknowledged');

    await item.getByRole('button', { name: 'Resolve…' }).click();
    await item.getByLabel('What was done (required)').fill('Phoned patient, repeat BP in 5 min');
    await item.getByRole('button', { name: 'Resolve alert' }).click();
    // Gone from the open alerts, listed with the resolved ones (the v2 engine may have
    // auto-resolved others already, so the count is not fixed).
    await item.waitFor({ state: 'detached' });
    const resolved = page.getByTestId('alerts-panel').locator('details.resolved-alerts');
    await resolved
      .locator('summary')
      .filter({ hasText: /Resolved alerts \(\d+\)/ })
      .click();
    await resolved.getByText(/SBP 186 \(limit 180\)/).waitFor();
  });

  it('locks (also across a reload) without patient data, still counting open alerts, and unlocks with the password', async () => {
    await page.goto(`${t.url}/board`);
    await tile().waitFor();
    if (alertsRoute) {
      // A new condition to keep open while locked: SpO2 91 is high. Typed in, so it raises at
      // once (a device stream is held for the 15 s delay first).
      await vitals([
        ['bp_systolic', 128],
        ['bp_diastolic', 82],
        ['spo2', 91, 0, 'manual'],
      ]);
      await tile().getByTestId('tile-alert').filter({ hasText: 'SpO2' }).waitFor();
    }
    await page.getByRole('button', { name: 'Lock screen' }).click();
    await page.reload();
    const lock = page.getByTestId('lock-screen');
    await lock.waitFor();
    expect(await page.getByTestId('tile').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain('Pat One');
    if (alertsRoute) {
      await page
        .getByTestId('lock-alerts')
        .filter({ hasText: /\d+ open alerts?/ })
        .waitFor();
    }
    await screenshot(page, 'dashboard-locked');

    await lock.getByLabel('Password').fill('wrong password');
    await lock.getByRole('button', { name: 'Unlock' }).click();
    await lock.getByRole('alert').filter({ hasText: 'incorrect' }).waitFor();
    await lock.getByLabel('Password').fill(PASSWORD);
    await lock.getByRole('button', { name: 'Unlock' }).click();
    await tile().waitFor();
  });

  it('scales up on a wall display', async () => {
    await page.setViewportSize({ width: 2560, height: 1440 });
    await tile().waitFor();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe(
      '26px',
    );
    await screenshot(page, 'dashboard-board-wall');
  });

  it('opens a session from a freshly loaded board with its whole history, where the board held the latest readings only', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    for (const [sbp, dbp, ago] of [
      // Measured after the 186/96 above (a reading measured earlier would not be the latest).
      [150, 90, 1_000],
      [160, 95, 0],
    ] as const)
      expect(
        (
          await vitals([
            ['bp_systolic', sbp, ago, 'manual'],
            ['bp_diastolic', dbp, ago, 'manual'],
          ])
        ).status,
      ).toBe(201);
    // A fresh page: the board watches with readings 'latest' (contract v1.5), the newest BP only.
    await page.goto(`${t.url}/board`);
    await tile().getByTestId('vital-bp').filter({ hasText: '160/95' }).waitFor();
    await tile().getByRole('link', { name: 'Pat One' }).click();
    await page.waitForURL(`**/sessions/${sessionId}`);
    await page.getByTestId('charts').waitFor();
    // The view asked for every reading: an SBP and a DBP marker for each BP of the session (the
    // 186/96 above, 150/90 and 160/95 at least), where the board's model held the latest one.
    await page.waitForFunction(
      () => {
        const series = document.querySelectorAll(
          'figure[aria-label^="Blood pressure"] .recharts-line-dots',
        );
        return series.length === 2 && [...series].every((g) => g.children.length >= 3);
      },
      null,
      { timeout: 10_000 },
    );
  });

  it('before 120 min offers only "End early (abort)" with a reason, then reads the session as aborted', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${t.url}/sessions/${sessionId}`);
    await page
      .getByTestId('end-note')
      .filter({ hasText: 'Ending before then is an abort' })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Sign off' }).count()).toBe(0);
    await page.getByRole('button', { name: 'End early (abort)…' }).click();
    const submit = page.getByRole('button', { name: 'End early (abort)', exact: true });
    expect(await submit.isDisabled()).toBe(true);
    await page.getByLabel(/recorded as an abort/).fill('Test: patient declined to continue');
    await submit.click();
    const tile = page.getByTestId('tile');
    await tile.getByTestId('tile-ended').filter({ hasText: 'Aborted at' }).waitFor();
    const text = await tile.textContent();
    expect(text).not.toMatch(/next due|Phone online|no heartbeat yet|min since dose/);
    expect(await page.getByRole('button', { name: /End early|Abort session/ }).count()).toBe(0);
    await screenshot(page, 'dashboard-session-aborted');
  });
});
