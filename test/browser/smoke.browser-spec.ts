import type { Browser, Page } from 'playwright-core';
import { launchBrowser, loginAs, screenshot } from '../support/browser';
import { isAlive, npmStart, waitForHealth, type NpmStartRun } from '../support/npm-start';

/**
 * SMOKE (browser half): `npm start` on a fresh data folder, then the clinician's board in real
 * Chromium, alive with the simulator's sessions. Screenshot: test-results/screenshots/smoke-board.png.
 */
describe('SMOKE: the live demo board in Chromium', () => {
  let run: NpmStartRun;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    run = await npmStart();
    await waitForHealth(run, 170_000);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    const pids = run.descendants();
    run.process.kill('SIGINT');
    await new Promise((r) => run.process.once('exit', r));
    run.cleanUp(pids.filter(isAlive));
  });

  it('shows a dozen live tiles with readings arriving', async () => {
    await loginAs(page, run.url, 'clinician@vigil.demo', 'vigil-demo');
    await page.waitForURL('**/board');
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="tile"]').length >= 12,
      undefined,
      { timeout: 30_000 },
    );
    // Readings within one 5 s upload batch, plus a BP from the cuff on most tiles.
    await page.waitForTimeout(8_000);
    const tiles = page.getByTestId('tile');
    expect(await tiles.count()).toBeGreaterThanOrEqual(12);
    const withBp = await tiles
      .getByTestId('vital-bp')
      .filter({ hasText: /\d+\/\d+/ })
      .count();
    expect(withBp).toBeGreaterThanOrEqual(5);
    await screenshot(page, 'smoke-board');
  }, 60_000);
});
