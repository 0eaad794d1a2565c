import { ManualClock } from '../apps/api/src/common/clock';
import { auditRows, http, login, makeUser, TEST_PASSWORD } from './support/factories';
import { connectLive, connected, disconnected, sleep } from './support/live-client';
import { createTestApp, type TestApp } from './support/test-app';

type AuditRow = Awaited<ReturnType<typeof auditRows>>[number];

/** Polls the audit trail (denials are written off the request's path) for rows that `match`. */
async function eventually(
  t: TestApp,
  where: Parameters<typeof auditRows>[1],
  match: (row: AuditRow) => boolean = () => true,
) {
  for (let i = 0; i < 50; i++) {
    const rows = (await auditRows(t.dataSource, where)).filter(match);
    if (rows.length > 0) return rows;
    await sleep(100);
  }
  return [];
}

describe('auth hardening', () => {
  let t: TestApp;
  let clock: ManualClock;
  const loginFrom = (address: string, email: string, password: string) =>
    http(t.url, 'POST', '/api/auth/login', {
      body: { email, password },
      headers: { 'x-forwarded-for': address },
    });

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3', LOGIN_FREE_FAILURES: '3' },
    });
    clock = t.clock as ManualClock;
  });
  afterAll(() => t.close());

  describe('login throttling', () => {
    it("backs off one client's guesses without locking out the account's owner elsewhere; a supervisor clears it", async () => {
      const victim = await makeUser(t.dataSource, 'clinician');
      const attacker = '203.0.113.1';
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await loginFrom(attacker, victim.email, `guess-${i}-xyz`)).status);
      expect(statuses).toEqual([401, 401, 401, 401]);
      const locked = await loginFrom(attacker, victim.email, TEST_PASSWORD);
      expect(locked.status).toBe(429);
      expect(locked.body.message).toMatch(/^email: too many failed sign-ins/);
      // the owner, from their own address, is not affected
      expect((await loginFrom('203.0.113.2', victim.email, TEST_PASSWORD)).status).toBe(200);
      expect(
        await eventually(t, { action: 'auth.login_throttled', outcome: 'denied' }),
      ).not.toHaveLength(0);

      const supervisor = await makeUser(t.dataSource, 'supervisor');
      const sup = await loginFrom('203.0.113.3', supervisor.email, TEST_PASSWORD);
      const cleared = await http(
        t.url,
        'POST',
        `/api/admin/accounts/${victim.id}/login-lockouts/clear`,
        { token: sup.body.accessToken, headers: { 'x-forwarded-for': '203.0.113.3' } },
      );
      expect(cleared).toMatchObject({ status: 200, body: { cleared: 1 } });
      expect((await loginFrom(attacker, victim.email, TEST_PASSWORD)).status).toBe(200);
      const rows = await auditRows(t.dataSource, {
        action: 'account.login_lockout_clear',
        entityId: victim.id,
      });
      expect(rows).toHaveLength(1);
      expect(rows[0].actor_id).toBe(supervisor.id);
    });

    it('limits one address spraying sign-ins across accounts: 429 with Retry-After, on the audit trail', async () => {
      // LOGIN_RATE_LIMIT_PER_MINUTE 3: an address may try 9 sign-ins a minute, whatever the account.
      const address = '203.0.113.50';
      const spray = (i: number) =>
        fetch(`${t.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
          body: JSON.stringify({ email: `nobody-${i}@example.test`, password: `guess-${i}-xyz` }),
        });
      for (let i = 0; i < 9; i++) expect((await spray(i)).status).toBe(401);
      const refused = await spray(9);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await refused.json()) as { message: string }).message).toBe(
        'login: too many attempts, wait a minute and try again',
      );
      const rows = await eventually(
        t,
        { action: 'auth.login_throttled', outcome: 'denied' },
        (row) => (row.detail as { reason?: string } | null)?.reason === 'address_rate_limit',
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].detail).toMatchObject({ client: address });
    });

    it('keys the address on what the trusted hop saw, never on forged X-Forwarded-For entries', async () => {
      const victim = await makeUser(t.dataSource, 'clinician');
      const statuses: number[] = [];
      // The client writes a new leftmost entry each time; the trusted hop (loopback) appended the
      // real address 127.0.0.9. Every guess must count against that one.
      for (let i = 0; i < 6; i++)
        statuses.push(
          (await loginFrom(`127.0.0.${100 + i}, 127.0.0.9`, victim.email, `guess-${i}-abc`)).status,
        );
      expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
      expect(statuses.slice(4)).toEqual([429, 429]);
    });
  });

  describe('refresh tokens', () => {
    it('lets a second tab use the just-rotated token within the grace, without logging anyone out', async () => {
      const user = await makeUser(t.dataSource, 'clinician');
      const first = await login(t.url, user);
      const tabA = await http(t.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: first.refreshToken },
      });
      const tabB = await http(t.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: first.refreshToken },
      });
      expect([tabA.status, tabB.status]).toEqual([200, 200]);
      for (const tab of [tabA, tabB]) {
        expect(
          (await http(t.url, 'GET', '/api/sessions', { token: tab.body.accessToken })).status,
        ).toBe(200);
        const next = await http(t.url, 'POST', '/api/auth/refresh', {
          body: { refreshToken: tab.body.refreshToken },
        });
        expect(next.status).toBe(200);
      }
    });

    it("ends the family's access tokens and live sockets when a rotated token is reused", async () => {
      const user = await makeUser(t.dataSource, 'clinician');
      const stolen = await login(t.url, user);
      const other = await login(t.url, user); // another device: another family, unaffected
      const rotated = await http(t.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: stolen.refreshToken },
      });
      expect(rotated.status).toBe(200);
      const socket = connectLive(t.url, rotated.body.accessToken);
      await connected(socket);
      clock.advance(t.config.REFRESH_REUSE_GRACE_SECONDS * 1000 + 1000);
      const gone = disconnected(socket, 5000);
      const reuse = await http(t.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: stolen.refreshToken },
      });
      expect(reuse.status).toBe(401);
      await gone;
      for (const token of [stolen.accessToken, rotated.body.accessToken])
        expect((await http(t.url, 'GET', '/api/sessions', { token })).status).toBe(401);
      expect((await http(t.url, 'GET', '/api/sessions', { token: other.accessToken })).status).toBe(
        200,
      );
      socket.disconnect();
    });

    it('ends a login 12 hours after it started, however often it was refreshed', async () => {
      const user = await makeUser(t.dataSource, 'clinician');
      let pair = await login(t.url, user);
      for (let hour = 0; hour < 11; hour++) {
        clock.advance(60 * 60_000);
        const res = await http(t.url, 'POST', '/api/auth/refresh', {
          body: { refreshToken: pair.refreshToken },
        });
        expect(res.status).toBe(200);
        pair = { ...pair, ...res.body };
      }
      clock.advance(59 * 60_000); // 11 h 59 min
      const last = await http(t.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: pair.refreshToken },
      });
      expect(last.status).toBe(200);
      const exp = JSON.parse(
        Buffer.from((last.body.accessToken as string).split('.')[1], 'base64url').toString(),
      ) as { exp: number; iat: number };
      expect(exp.exp - exp.iat).toBeLessThanOrEqual(60); // capped at the end of the login
      clock.advance(2 * 60_000);
      const after = await http(t.url, 'POST', '/api/auth/refresh', {
        body: { refreshToken: last.body.refreshToken },
      });
      expect(after.status).toBe(401);
    });
  });

  describe('password policy and refused requests', () => {
    it('refuses short, common and demo passwords for new accounts, naming the field', async () => {
      const supervisor = await makeUser(t.dataSource, 'supervisor');
      const { accessToken } = await login(t.url, supervisor);
      const create = (password: string, n: number) =>
        http(t.url, 'POST', '/api/admin/staff', {
          token: accessToken,
          body: { email: `policy${n}-${Date.now()}@test.vigil`, name: 'Pat Policy', password },
        });
      for (const [i, weak] of [
        'password1234',
        'qwertyuiop123',
        'vigil-demo-vigil-demo',
      ].entries()) {
        const res = await create(weak, i);
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/^password: /);
      }
      expect((await create('short-1', 9)).status).toBe(400);
      expect((await create('correct horse battery staple', 10)).status).toBe(201);
    });

    it('audits a refused admin request', async () => {
      const clinician = await makeUser(t.dataSource, 'clinician');
      const { accessToken } = await login(t.url, clinician);
      expect(
        (await http(t.url, 'GET', '/api/admin/assignments', { token: accessToken })).status,
      ).toBe(403);
      const rows = await eventually(t, { action: 'http.denied', actorId: clinician.id });
      expect(rows[0]).toMatchObject({ entity_id: 'GET /api/admin/assignments', outcome: 'denied' });
    });
  });
});
