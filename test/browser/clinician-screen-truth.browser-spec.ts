/**
 * What the clinician's screens show in real Chromium, against the real API on PostgreSQL
 * (production mode, wall clock), where it once misled (review rscreen): a value off a chart's
 * usual range drawn on its edge, ages judged by a station's wrong clock, and the "No live data"
 * banner left up after a network blip. Screenshots land in test-results/screenshots/rscreen-*.png.
 */
import { screenshot } from '../support/browser';
import { http } from '../support/factories';
import { openBoard, seedBoardPatient, startBoardApp, type BoardApp } from './support/board';

const MIN = 60_000;

describe("what the clinician's screens show (Chromium)", () => {
  let board: BoardApp;
  let dipSession: string;
  let stoppedSession: string;
  let blipSession: string;
  let blipToken: string;

  beforeAll(async () => {
    board = await startBoardApp();
    const now = Date.now();
    // 1. A desaturation to 72 % four minutes ago, streamed every 10 s from the oximeter.
    const dip = [];
    for (let s = 10 * 60; s >= 0; s -= 10) {
      const ago = s * 1000;
      const value = ago <= 5 * MIN && ago >= 4 * MIN ? 72 : 96;
      dip.push({ kind: 'spo2', value, measuredAt: new Date(now - ago).toISOString() });
      dip.push({ kind: 'heart_rate', value: 80, measuredAt: new Date(now - ago).toISOString() });
    }
    ({ sessionId: dipSession } = await seedBoardPatient(
      board,
      'Dee Dip',
      new Date(now - 20 * MIN),
      dip,
    ));
    // 2. An oximeter stream that stopped three minutes ago (phone still there).
    const stopped = [];
    for (let s = 60; s >= 0; s -= 5) {
      const at = new Date(now - 3 * MIN - s * 1000).toISOString();
      stopped.push({ kind: 'spo2', value: 95, measuredAt: at });
      stopped.push({ kind: 'heart_rate', value: 78, measuredAt: at });
    }
    ({ sessionId: stoppedSession } = await seedBoardPatient(
      board,
      'Stan Stopped',
      new Date(now - 30 * MIN),
      stopped,
    ));
    // 3. A patient for the network blip.
    const seeded = await seedBoardPatient(board, 'Bea Blip', new Date(now - 10 * MIN), [
      { kind: 'heart_rate', value: 70, measuredAt: new Date(now).toISOString(), source: 'manual' },
    ]);
    blipSession = seeded.sessionId;
    blipToken = seeded.token!;
  }, 240_000);

  afterAll(async () => {
    await board?.browser.close();
    await board?.t.close();
  });

  it('draws a desaturation to 72 % where it is, not cut off at the SpO2 chart floor (80)', async () => {
    const page = await openBoard(board, 1280, 1400);
    await page.goto(`${board.t.url}/sessions/${dipSession}`);
    const chart = page.getByRole('figure', { name: /^SpO2/ });
    await chart.locator('.recharts-line-curve').first().waitFor({ timeout: 30_000 });
    await chart.screenshot({ path: 'test-results/screenshots/rscreen-spo2-dip.png' });
    const ticks = (await chart.locator('.recharts-yAxis-tick-labels text').allTextContents())
      .map(Number)
      .filter(Number.isFinite);
    expect(ticks.length).toBeGreaterThan(0);
    // The lowest reading in the chart's data is 72: the axis must reach it.
    expect(Math.min(...ticks)).toBeLessThanOrEqual(72);
    await page.close();
  }, 90_000);

  it('marks a stream that stopped 3 min ago stale on a station whose clock runs 5 min slow, and says the clock is off', async () => {
    const page = await openBoard(board, 1280, 800, () => {
      const real = Date.now.bind(Date);
      Date.now = () => real() - 5 * 60_000;
    });
    const tile = page.locator(`[data-testid="tile"][data-session-id="${stoppedSession}"]`);
    const spo2 = tile.getByTestId('vital-spo2');
    await spo2.locator('.vital-value').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2_000);
    await screenshot(page, 'rscreen-skew-stopped-stream', { fullPage: false });
    expect(await spo2.textContent()).toMatch(/stale.*3m/);
    await expect(page.getByTestId('clock-skew').textContent()).resolves.toMatch(
      /clock is 5 min behind the server/,
    );
    await page.close();
  }, 90_000);

  it('takes the "No live data" banner down after a network blip once data flows again', async () => {
    // On "localhost": engine.io-client closes its socket at the browser's `offline` on any other
    // host (and the reconnect's `connect` took the banner down), but keeps it there, as a socket
    // that outlives a blip is kept.
    const url = board.t.url.replace('127.0.0.1', 'localhost');
    const page = await openBoard({ ...board, t: { ...board.t, url } }, 1280, 800);
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    const tile = page.locator(`[data-testid="tile"][data-session-id="${blipSession}"]`);
    await tile.getByTestId('vital-heart_rate').locator('.vital-value').waitFor({ timeout: 30_000 });
    // Wi-Fi drops for a second and comes back: the browser fires offline, then online, and the
    // socket survives (shorter than its ping timeout). Playwright's setOffline cannot play this:
    // Chromium's emulated outage closes the socket.
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await page.getByTestId('connection-lost').waitFor({ timeout: 5_000 });
    await page.waitForTimeout(1_000);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    // A new high alert after the blip: SBP 190 typed in by the patient.
    const res = await http(board.t.url, 'POST', `/api/sessions/${blipSession}/vitals`, {
      token: blipToken,
      body: {
        clientId: `rscreen-blip-${Date.now()}`,
        readings: [
          {
            kind: 'bp_systolic',
            value: 190,
            measuredAt: new Date().toISOString(),
            source: 'manual',
          },
          {
            kind: 'bp_diastolic',
            value: 95,
            measuredAt: new Date().toISOString(),
            source: 'manual',
          },
        ],
      },
    });
    expect(res.status).toBe(201);
    await tile
      .getByTestId('tile-alert')
      .filter({ hasText: 'SBP 190' })
      .waitFor({ timeout: 30_000 });
    await page.waitForTimeout(3_000);
    await screenshot(page, 'rscreen-blip-banner', { fullPage: false });
    const banner = await page.getByTestId('connection-lost').count();
    const indicator = await page.getByTestId('connection').textContent();
    expect({ banner, indicator }).toEqual({ banner: 0, indicator: expect.stringMatching(/Live/) });
    await page.close();
  }, 90_000);
});
