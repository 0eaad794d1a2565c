import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { systemClock } from '../../apps/api/src/common/clock';
import { ensureDashboardBuilt, launchBrowser, loginAs, screenshot } from '../support/browser';
import { assign, http, login, makeSession, makeUser, TEST_PASSWORD } from '../support/factories';
import { NGINX, startProjectNginx, type RunningNginx } from '../support/nginx';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The deployment of docker-compose.yml without Docker: the project's deploy/nginx.conf (Debian's
 * nginx) in front of two API instances sharing Redis and one PostgreSQL. The clinician's browser
 * only ever talks to nginx (http://localhost:PORT, a port in the Origin as with compose's :8080);
 * the phone submits to each instance directly, and the board goes live with both.
 */
const REDIS_URL = process.env.REDIS_URL;
const missing = !REDIS_URL ? 'REDIS_URL is unset' : !existsSync(NGINX) ? `${NGINX} is missing` : '';
if (missing) console.log(`${missing}: the nginx + two instances browser test is SKIPPED.`);

(missing ? describe.skip : describe)('board through deploy/nginx.conf (Chromium)', () => {
  let a: TestApp;
  let b: TestApp;
  let proxy: RunningNginx;
  let browser: Browser;
  let page: Page;
  let sessionId: string;
  let patientToken: string;
  let clinicianEmail: string;
  const documentHeaders: Record<string, string>[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const dist = ensureDashboardBuilt();
    const env = { DASHBOARD_DIST: dist, REDIS_URL: REDIS_URL!, TRUST_PROXY: 'loopback' };
    a = await createTestApp({ env: { ...env, INSTANCE_ID: 'api-1' }, clock: systemClock });
    b = await createTestApp({
      env: { ...env, INSTANCE_ID: 'api-2' },
      clock: systemClock,
      databaseUrl: a.databaseUrl,
    });
    const patient = await makeUser(a.dataSource, 'patient', 'Proxy Patient');
    const clinician = await makeUser(a.dataSource, 'clinician', 'Proxy Clinician');
    clinicianEmail = clinician.email;
    await assign(a.dataSource, clinician, patient);
    sessionId = await makeSession(a.dataSource, { patient, clinician });
    patientToken = (await login(a.url, patient)).accessToken;
    proxy = await startProjectNginx([a.url.replace('http://', ''), b.url.replace('http://', '')]);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') consoleErrors.push(msg.text());
    });
    page.on('response', (res) => {
      if (res.request().resourceType() === 'document') documentHeaders.push(res.headers());
    });
  }, 180_000);

  afterAll(async () => {
    if (consoleErrors.length > 0) console.log(`browser console:\n${consoleErrors.join('\n')}`);
    await browser?.close();
    await proxy?.stop();
    await b?.close().catch(() => undefined);
    await a?.close();
  });

  const tile = () => page.getByTestId('tile').filter({ hasText: 'Proxy Patient' });
  const vitals = (t: TestApp, kind: string, value: number) =>
    http(t.url, 'POST', `/api/sessions/${sessionId}/vitals`, {
      token: patientToken,
      body: {
        clientId: `proxy-${kind}-${Date.now()}`,
        readings: [{ kind, value, measuredAt: new Date().toISOString() }],
      },
    });

  it('logs in through nginx and the board goes live over the proxied socket', async () => {
    await loginAs(page, proxy.url, clinicianEmail, TEST_PASSWORD);
    await page.waitForURL('**/board');
    await tile().waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'proxy-board-live');
  });

  it('shows live what the phone sent to either instance (Redis carries it across)', async () => {
    expect((await vitals(a, 'heart_rate', 77)).status).toBe(201);
    expect((await vitals(b, 'spo2', 93)).status).toBe(201);
    await tile()
      .getByTestId('vital-heart_rate')
      .filter({ hasText: '77' })
      .waitFor({ timeout: 10_000 });
    await tile().getByTestId('vital-spo2').filter({ hasText: '93' }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'proxy-board-updated');
  });

  it('carries the security headers through the proxy, with nginx version hidden', () => {
    const headers = documentHeaders[documentHeaders.length - 1];
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['content-security-policy']).toMatch(/connect-src 'self' ws: wss:/);
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-powered-by']).toBeUndefined();
    expect(headers.server).toBe('nginx');
  });
});
