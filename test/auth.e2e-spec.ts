import { createHmac } from 'node:crypto';
import {
  auditRows,
  http,
  login,
  makeUser,
  TEST_PASSWORD,
  type TestUser,
} from './support/factories';
import { ManualClock } from '../apps/api/src/common/clock';
import { createTestApp, TEST_SECRET, type TestApp } from './support/test-app';

function b64(obj: object): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

function forge(header: object, payload: object, secret: string | null): string {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  const sig =
    secret === null ? '' : createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${sig}`;
}

describe('auth (real HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let clinician: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    clinician = await makeUser(t.dataSource, 'clinician');
  });
  afterAll(() => t.close());

  it('logs in and returns both tokens and the user', async () => {
    const res = await http(t.url, 'POST', '/api/auth/login', {
      body: { email: clinician.email.toUpperCase(), password: TEST_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ id: clinician.id, role: 'clinician', name: clinician.name });
    expect(typeof res.body.accessToken).toBe('string');
    expect(typeof res.body.refreshToken).toBe('string');
  });

  it('answers a wrong password and an unknown email identically, and audits both', async () => {
    const wrong = await http(t.url, 'POST', '/api/auth/login', {
      body: { email: clinician.email, password: 'nope-nope' },
    });
    const unknown = await http(t.url, 'POST', '/api/auth/login', {
      body: { email: 'nobody@test.vigil', password: 'nope-nope' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown).toEqual(wrong);
    const denied = await auditRows(t.dataSource, { action: 'auth.login', outcome: 'denied' });
    expect(denied.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(denied)).not.toContain('nope-nope');
  });

  it('refuses a login body with a missing field, naming it', async () => {
    const res = await http(t.url, 'POST', '/api/auth/login', { body: { email: clinician.email } });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^password: /);
  });

  it('rotates refresh tokens: the old one dies, and its reuse ends the whole family', async () => {
    const first = await login(t.url, clinician);
    const second = await http(t.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    // past the two-tabs grace (a replay within it is another tab of the same login)
    (t.clock as ManualClock).advance(t.config.REFRESH_REUSE_GRACE_SECONDS * 1000 + 1000);
    const replay = await http(t.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(replay.status).toBe(401);
    // theft detection: the token issued from the stolen one is now dead too
    const third = await http(t.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: second.body.refreshToken },
    });
    expect(third.status).toBe(401);
  });

  it('rejects missing, malformed, alg:none, wrongly signed and expired access tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { sub: clinician.id, role: 'clinician', tv: 0, iat: now, exp: now + 600 };
    const tokens = [
      undefined,
      'garbage',
      forge({ alg: 'none', typ: 'JWT' }, payload, null),
      forge({ alg: 'HS256', typ: 'JWT' }, payload, 'another-secret-another-secret-xx'),
      forge({ alg: 'HS256', typ: 'JWT' }, { ...payload, exp: now - 10 }, TEST_SECRET),
    ];
    for (const token of tokens) {
      const res = await http(t.url, 'GET', '/api/sessions', { token });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
    const good = forge({ alg: 'HS256', typ: 'JWT' }, payload, TEST_SECRET);
    expect((await http(t.url, 'GET', '/api/sessions', { token: good })).status).toBe(200);
  });

  it('logout kills the access token and every refresh token at once', async () => {
    const user = await makeUser(t.dataSource, 'clinician');
    const a = await login(t.url, user);
    const b = await login(t.url, user);
    expect((await http(t.url, 'POST', '/api/auth/logout', { token: a.accessToken })).status).toBe(
      204,
    );
    expect((await http(t.url, 'GET', '/api/sessions', { token: a.accessToken })).status).toBe(401);
    expect((await http(t.url, 'GET', '/api/sessions', { token: b.accessToken })).status).toBe(401);
    expect(
      (await http(t.url, 'POST', '/api/auth/refresh', { body: { refreshToken: b.refreshToken } }))
        .status,
    ).toBe(401);
  });

  it('a deactivated account stops working on its very next request', async () => {
    const supervisor = await makeUser(t.dataSource, 'supervisor');
    const victim = await makeUser(t.dataSource, 'clinician');
    const sup = await login(t.url, supervisor);
    const v = await login(t.url, victim);
    expect((await http(t.url, 'GET', '/api/sessions', { token: v.accessToken })).status).toBe(200);
    const res = await http(t.url, 'POST', `/api/admin/accounts/${victim.id}/deactivate`, {
      token: sup.accessToken,
    });
    expect(res.status).toBe(201);
    expect(res.body.active).toBe(false);
    expect((await http(t.url, 'GET', '/api/sessions', { token: v.accessToken })).status).toBe(401);
    const again = await http(t.url, 'POST', '/api/auth/login', {
      body: { email: victim.email, password: TEST_PASSWORD },
    });
    expect(again.status).toBe(401);
  });
});

describe('login rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => t.close());

  it('limits attempts per address across accounts (password spraying)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const user = await makeUser(t.dataSource, 'clinician');
      statuses.push(
        (
          await http(t.url, 'POST', '/api/auth/login', {
            body: { email: user.email, password: 'Summer2026!' },
            headers: { 'x-forwarded-for': '198.51.100.99' },
          })
        ).status,
      );
    }
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(401));
    expect(statuses[9]).toBe(429);
    const again = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.99' },
      body: JSON.stringify({ email: 'nobody@vigil.test', password: 'Summer2026!' }),
    });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
