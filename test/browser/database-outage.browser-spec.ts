import type { Browser, Page } from 'playwright-core';
import { loginAs, screenshot } from '../support/browser';
import { StallProxy } from '../support/stall-proxy';
import { createTestDatabase, type TestApp } from '../support/test-app';
import { DEMO_PASSWORD, startDemoApp } from './support/demo-app';

/**
 * The clinician's board while the server's database does not answer (server.status v1.8): the
 * socket stays up, nothing new arrives, and the screen must not look live. The API reaches
 * PostgreSQL through a proxy that holds every byte.
 */
describe('clinician dashboard while the database does not answer (Chromium)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: StallProxy;
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await StallProxy.inFrontOf(database.url);
    ({ t, browser } = await startDemoApp({ databaseUrl: proxy.urlFor(database.url) }));
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 180_000);

  afterAll(async () => {
    proxy?.resume();
    await browser?.close();
    await t?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('says "not saving" since when, in the header and in a banner, and goes back to live', async () => {
    await loginAs(page, t.url, 'clinician@vigil.demo', DEMO_PASSWORD);
    await page.waitForURL('**/board');
    await page.getByTestId('tile').first().waitFor();
    const badge = page.getByTestId('connection');
    await badge.filter({ hasText: /^Live$/ }).waitFor();
    expect(await page.getByTestId('not-saving').count()).toBe(0);

    proxy.stall('both');
    const banner = page.getByTestId('not-saving');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.textContent()).toMatch(
      /has not been able to save data since \d\d:\d\d.*Use another way to reach patients/,
    );
    expect(await badge.textContent()).toMatch(/^Not saving since /);
    expect(await badge.getAttribute('class')).toContain('connection-not-saving');
    await screenshot(page, 'board-not-saving-1280x800');

    proxy.resume();
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await badge.filter({ hasText: /^Live$/ }).waitFor();
  });
});
