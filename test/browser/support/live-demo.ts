import type { Browser, Page } from 'playwright-core';
import { launchBrowser, loginAs } from '../../support/browser';
import { isAlive, npmStart, waitForHealth, type NpmStartRun } from '../../support/npm-start';

export interface LiveDemo {
  run: NpmStartRun;
  browser: Browser;
  page: Page;
}

/**
 * `npm start` as a newcomer runs it (a fresh data folder, the simulator's sessions streaming),
 * healthy, and a Chromium page at a desktop size. Whatever started is stopped if the start fails.
 */
export async function startLiveDemo(width: number, height: number): Promise<LiveDemo> {
  const run = await npmStart();
  try {
    await waitForHealth(run, 170_000);
    const browser = await launchBrowser();
    return { run, browser, page: await browser.newPage({ viewport: { width, height } }) };
  } catch (err) {
    await stopLiveDemo({ run });
    throw err;
  }
}

/** Closes the browser, stops `npm start` (Ctrl-C, as a person would) and kills what is left. */
export async function stopLiveDemo(demo: Partial<LiveDemo> | undefined): Promise<void> {
  await demo?.browser?.close();
  const run = demo?.run;
  if (!run) return;
  const pids = run.descendants();
  if (run.process.exitCode === null && run.process.signalCode === null) {
    run.process.kill('SIGINT');
    await new Promise((r) => run.process.once('exit', r));
  }
  run.cleanUp(pids.filter(isAlive));
}

/** The demo clinician's board, live, with at least `tiles` sessions on it. */
export async function openLiveBoard({ run, page }: LiveDemo, tiles: number): Promise<void> {
  await loginAs(page, run.url, 'clinician@vigil.demo', 'vigil-demo');
  await page.waitForURL('**/board');
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="tile"]').length >= n,
    tiles,
    { timeout: 60_000 },
  );
}
