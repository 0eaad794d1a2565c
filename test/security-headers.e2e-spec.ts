import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { login, makeUser, TEST_PASSWORD } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/** The headers a browser gets from the real app, on the dashboard, the API and the docs. */
describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    const dist = mkdtempSync(join(tmpdir(), 'vigil-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Vigil</title>');
    t = await createTestApp({ env: { DASHBOARD_DIST: dist } });
  });
  afterAll(() => t.close());

  const csp = (res: Response) =>
    Object.fromEntries(
      (res.headers.get('content-security-policy') ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );

  it.each(['/', '/board', '/api/health', '/api/docs'])(
    'sends a CSP that fits the app, forbids framing and hides the framework on %s',
    async (path) => {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(200);
      const policy = csp(res);
      expect(policy['default-src']).toEqual(["'self'"]);
      expect(policy['script-src']).toEqual(["'self'"]);
      expect(policy['connect-src']).toEqual(expect.arrayContaining(["'self'", 'wss:', 'ws:']));
      expect(policy['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
      expect(policy['frame-ancestors']).toEqual(["'none'"]);
      expect(policy['object-src']).toEqual(["'none'"]);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
    },
  );

  it('forbids caching of API answers that carry tokens and health data, errors included', async () => {
    const user = await makeUser(t.dataSource, 'clinician');
    const auth = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: TEST_PASSWORD }),
    });
    expect(auth.status).toBe(200);
    expect(auth.headers.get('cache-control')).toBe('no-store');
    const { accessToken } = await login(t.url, user);
    const sessions = await fetch(`${t.url}/api/sessions?state=live`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(sessions.status).toBe(200);
    expect(sessions.headers.get('cache-control')).toBe('no-store');
    const denied = await fetch(`${t.url}/api/sessions`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('cache-control')).toBe('no-store');
  });

  it('lets the dashboard shell be revalidated rather than stored forever', async () => {
    const res = await fetch(`${t.url}/board`);
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });
});
