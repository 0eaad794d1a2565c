import { screenshot } from '../support/browser';
import { openLiveBoard, startLiveDemo, stopLiveDemo, type LiveDemo } from './support/live-demo';

/**
 * SMOKE (browser half): `npm start` on a fresh data folder, then the clinician's board in real
 * Chromium, alive with the simulator's sessions. Screenshot: test-results/screenshots/smoke-board.png.
 */
describe('SMOKE: the live demo board in Chromium', () => {
  let demo: LiveDemo;

  beforeAll(async () => {
    demo = await startLiveDemo(1440, 900);
  }, 180_000);

  afterAll(() => stopLiveDemo(demo));

  it('shows a dozen live tiles with readings arriving', async () => {
    await openLiveBoard(demo, 12);
    const { page } = demo;
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
