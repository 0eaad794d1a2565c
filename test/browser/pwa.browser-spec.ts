import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loginAs } from '../support/browser';
import { http } from '../support/factories';
import { sleep } from '../support/live-client';
import type { TestApp } from '../support/test-app';
import { DEMO_PASSWORD as PASSWORD, startDemoApp } from './support/demo-app';
import { checkInItems as checkIns, checkInOnPhone, PHONE, phoneView } from './support/phone';

/** The outbox as the phone keeps it in IndexedDB (what a reload finds), read in the page. */
function outboxInIndexedDb(page: Page): Promise<{ clientId: string; kind: string }[]> {
  return page.evaluate(
    () =>
      new Promise<{ clientId: string; kind: string }[]>((done, fail) => {
        const open = indexedDB.open('vigil-outbox');
        open.onerror = () => fail(new Error(String(open.error)));
        open.onsuccess = () => {
          const all = open.result.transaction('items').objectStore('items').getAll();
          all.onerror = () => fail(new Error(String(all.error)));
          all.onsuccess = () => {
            done(
              (all.result as { clientId: string; kind: string }[]).map(({ clientId, kind }) => ({
                clientId,
                kind,
              })),
            );
            open.result.close();
          };
        };
      }),
  );
}

/**
 * The patient app as an installable PWA (vite-plugin-pwa, Workbox) in real Chromium at 390x844
 * on a loopback origin (a secure context): after one online visit the service worker has the
 * built app, so a phone that reloads with no network mid-session gets the app and its outbox
 * back; a check-in made then is delivered exactly once when the network returns. Nothing from
 * /api ever lands in the service worker's caches.
 */
describe('patient app as a PWA (Chromium, 390x844)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sessionId: string;

  beforeAll(async () => {
    ({ t, browser, sessionId } = await startDemoApp());
    context = await browser.newContext(PHONE);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves an installable manifest and activates a service worker on the first online visit', async () => {
    await loginAs(page, t.url, 'patient1@vigil.demo', PASSWORD);
    await page.waitForURL('**/patient');
    await page.getByTestId('sync-status').filter({ hasText: 'Connected' }).waitFor();

    const state = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const worker = registration.active!;
      // `ready` resolves once a worker is activating; precaching is done when it is activated.
      if (worker.state !== 'activated') {
        await new Promise((done) => worker.addEventListener('statechange', done));
      }
      return { scope: registration.scope, active: worker.state };
    });
    expect(state).toEqual({ scope: `${t.url}/`, active: 'activated' });

    const manifest = await http(t.url, 'GET', '/manifest.webmanifest');
    expect(manifest.status).toBe(200);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    // Headless Chromium's own profile is the only reason it may give; the app must give none.
    expect(
      installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'),
    ).toEqual([]);
    const sw = await fetch(`${t.url}/sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
  });

  it('reloads with no network into the app and keeps a check-in made offline through a second reload', async () => {
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByTestId('sync-status').filter({ hasText: 'No connection' }).waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await page.getByTestId('session-clock').waitFor();
    await phoneView(page, 'pwa-offline-reloaded');

    await checkInOnPhone(page, { nausea: 3, note: 'made offline after a reload' });
    await checkIns(page, 'pending').waitFor();

    // A second reload, still offline: the outbox comes back from IndexedDB.
    await page.reload();
    await checkIns(page, 'pending').waitFor();
    await page.getByTestId('sync-status').filter({ hasText: '1 waiting to send' }).waitFor();
    await phoneView(page, 'pwa-offline-outbox');
  });

  it('delivers that check-in exactly once when the network returns, and caches no API answer', async () => {
    const pending = (await outboxInIndexedDb(page)).filter((i) => i.kind === 'checkin');
    expect(pending).toHaveLength(1);
    const { clientId } = pending[0];

    await context.setOffline(false);
    await page.getByTestId('sync-status').filter({ hasText: 'everything is sent' }).waitFor({
      timeout: 30_000,
    });
    await sleep(2000); // time for any stray retry to land
    const rows = await t.dataSource.query<{ type: string; note: string }[]>(
      `SELECT type, data->>'note' AS note FROM session_events WHERE session_id = $1 AND client_id = $2`,
      [sessionId, clientId],
    );
    expect(rows).toEqual([{ type: 'checkin.recorded', note: 'made offline after a reload' }]);

    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      }
      return urls;
    });
    expect(cached.length).toBeGreaterThan(0);
    expect(cached.filter((u) => new URL(u).pathname.startsWith('/api'))).toEqual([]);
    expect(cached.filter((u) => new URL(u).pathname.startsWith('/socket.io'))).toEqual([]);
  });
});
