import type { Browser, Page } from 'playwright-core';
import { launchBrowser, loginAs, screenshot } from '../support/browser';
import { isAlive, npmStart, waitForHealth, type NpmStartRun } from '../support/npm-start';

/**
 * Devices in the live demo (issue 17): `npm start`, whose simulator pairs each patient's oximeter
 * and cuff and streams through them, then the clinician's session view in real Chromium shows
 * which device each reading came from and when each device last reported.
 * Screenshot: test-results/screenshots/devices-session-view.png.
 */
describe('DEVICES: the simulator streams through paired devices, the session view shows them', () => {
  let run: NpmStartRun;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    run = await npmStart();
    await waitForHealth(run, 170_000);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    const pids = run.descendants();
    run.process.kill('SIGINT');
    await new Promise((r) => run.process.once('exit', r));
    run.cleanUp(pids.filter(isAlive));
  });

  it('shows the oximeter and the cuff as the source of the readings, with their last report', async () => {
    await loginAs(page, run.url, 'clinician@vigil.demo', 'vigil-demo');
    await page.waitForURL('**/board');
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="tile"]').length >= 6,
      undefined,
      { timeout: 60_000 },
    );
    // A simulated patient whose tile already has a BP from the cuff (patient1 is not simulated).
    const tile = page
      .getByTestId('tile')
      .filter({ has: page.getByTestId('vital-bp').filter({ hasText: /\d+\/\d+/ }) })
      .first();
    await tile.waitFor({ timeout: 60_000 });
    await tile.getByRole('link').first().click();
    await page.waitForURL('**/sessions/*');
    const panel = page.getByTestId('device-panel');
    await panel.waitFor();
    const spo2 = panel.getByTestId('source-spo2');
    await spo2.filter({ hasText: 'Pulse oximeter · Vigil Simulator SimOx 1' }).waitFor({
      timeout: 30_000,
    });
    await panel
      .getByTestId('source-bp_systolic')
      .filter({ hasText: 'BP cuff · Vigil Simulator SimCuff 1' })
      .waitFor({ timeout: 30_000 });
    expect(await panel.getByTestId('device').count()).toBe(2);
    await panel
      .getByTestId('device-last-report')
      .first()
      .filter({ hasText: /Last reported \d+ (s|min) ago/ })
      .waitFor({ timeout: 30_000 });
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'devices-session-view');
  }, 180_000);
});
