import type { LoginResponse } from '@vigil/contracts';
import { manual } from './support/clinical';
import { observation, pairDevice } from './support/devices';
import {
  assign,
  auditRows,
  makeSession,
  makeUser,
  TEST_PASSWORD,
  type TestUser,
} from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

// Small limits, so the tests reach them in a few requests (the defaults are 600 and 30).
const LIMIT = 5;
const HELP_LIMIT = 3;

interface Answer {
  status: number;
  retryAfter: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed JSON
  body: any;
}

/**
 * The per-principal REST limit (contract v1.4): past it a 429 with Retry-After that names the
 * limit, before anything is stored; one account's flood leaves other accounts, other devices and
 * other addresses alone; help presses spend a budget of their own, so a patient whose routine
 * traffic is limited can still call for help.
 */
describe('REST rate limit per account, device and (without a login) client address', () => {
  let t: TestApp;
  let clinician: TestUser;
  let clinicianToken: string;
  // Each login comes "through the proxy" from its own address (the test runs on loopback, which
  // is trusted), so the logins themselves do not spend one address's budget.
  let address = 0;

  async function send(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; from?: string; type?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {
      'x-forwarded-for': opts.from ?? `198.51.100.${++address}`,
    };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: text ? JSON.parse(text) : null,
    };
  }

  async function signIn(user: TestUser): Promise<string> {
    const res = await send('POST', '/api/auth/login', {
      body: { email: user.email, password: TEST_PASSWORD },
    });
    expect(res.status).toBe(200);
    return (res.body as LoginResponse).accessToken;
  }

  async function patientWithSession(): Promise<{
    token: string;
    sessionId: string;
    user: TestUser;
  }> {
    const user = await makeUser(t.dataSource, 'patient');
    await assign(t.dataSource, clinician, user);
    const sessionId = await makeSession(t.dataSource, { patient: user, clinician });
    return { token: await signIn(user), sessionId, user };
  }

  const stored = async (sessionId: string, clientId: string) =>
    Number(
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM session_events WHERE session_id = $1 AND client_id = $2`,
          [sessionId, clientId],
        )
      )[0].n,
    );

  function expectRefused(res: Answer, words: RegExp): void {
    expect(res.status).toBe(429);
    expect(Number(res.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(res.retryAfter)).toBeLessThanOrEqual(60);
    const message = typeof res.body.message === 'string' ? res.body.message : '';
    const diagnostics = res.body.issue?.[0]?.diagnostics ?? '';
    expect(`${message}${diagnostics}`).toMatch(words);
  }

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        REST_RATE_LIMIT_PER_MINUTE: String(LIMIT),
        HELP_RATE_LIMIT_PER_MINUTE: String(HELP_LIMIT),
      },
    });
    clinician = await makeUser(t.dataSource, 'clinician');
    clinicianToken = await signIn(clinician);
  });
  beforeEach(() => manual(t).set(new Date()));
  afterAll(() => t.close());

  it('answers a flooding account 429 with Retry-After naming its limit, stores nothing, and leaves other accounts alone', async () => {
    const a = await patientWithSession();
    const b = await patientWithSession();
    const checkIn = (p: typeof a, clientId: string) =>
      send('POST', `/api/sessions/${p.sessionId}/check-ins`, {
        token: p.token,
        body: { clientId, moaas: 5 },
        from: '203.0.113.9',
      });
    for (let i = 0; i < LIMIT; i++) expect((await checkIn(a, `ok-${i}`)).status).toBe(201);

    const over = await checkIn(a, 'over');
    expectRefused(over, /this account's limit is 5 a minute; retry after \d+ s/);
    expect(over.body.message).toBe(
      `rate limit: too many requests: this account's limit is 5 a minute; retry after ${over.retryAfter} s`,
    );
    expect(await stored(a.sessionId, 'over')).toBe(0);
    // One budget over every route, from any address: a read and a change of address do not help.
    expectRefused(
      await send('GET', `/api/sessions/${a.sessionId}`, { token: a.token, from: '203.0.113.50' }),
      /this account's limit/,
    );

    // Patient B, on the same address as A's flood, and the clinician are unaffected.
    expect((await checkIn(b, 'b-1')).status).toBe(201);
    expect(await stored(b.sessionId, 'b-1')).toBe(1);
    expect((await send('GET', '/api/sessions', { token: clinicianToken })).status).toBe(200);

    // The refusals are on the audit trail, as the account's (repeats coalesced in one window).
    let rows: Awaited<ReturnType<typeof auditRows>> = [];
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      rows = await auditRows(t.dataSource, { action: 'http.rate_limited', actorId: a.user.id });
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          outcome: 'denied',
          entity_id: 'POST /api/sessions/:id/check-ins',
        }),
      ]),
    );
  });

  it('still admits help presses while the routine traffic is limited; a flood of help presses meets its own limit', async () => {
    const a = await patientWithSession();
    for (let i = 0; i < LIMIT; i++)
      await send('POST', `/api/sessions/${a.sessionId}/vitals`, {
        token: a.token,
        body: {
          clientId: `v-${i}`,
          readings: [{ kind: 'heart_rate', value: 80, measuredAt: new Date().toISOString() }],
        },
      });
    // An alert-worthy reading is never refused by admission control, but it is by the limit.
    const urgent = await send('POST', `/api/sessions/${a.sessionId}/vitals`, {
      token: a.token,
      body: {
        clientId: 'urgent-over',
        readings: [{ kind: 'spo2', value: 82, measuredAt: new Date().toISOString() }],
      },
    });
    expectRefused(urgent, /this account's limit is 5 a minute/);
    expect(await stored(a.sessionId, 'urgent-over')).toBe(0);

    const help = (clientId: string) =>
      send('POST', `/api/sessions/${a.sessionId}/help`, { token: a.token, body: { clientId } });
    for (let i = 0; i < HELP_LIMIT; i++) expect((await help(`help-${i}`)).status).toBe(201);
    expect(await stored(a.sessionId, 'help-0')).toBe(1);

    const flood = await help('help-over');
    expectRefused(
      flood,
      /help presses: this account's limit is 3 a minute \(the care team has already been alerted\)/,
    );
    expect(await stored(a.sessionId, 'help-over')).toBe(0);
  });

  it("limits a paired device's FHIR posts by the device, answering an OperationOutcome 'throttled'", async () => {
    const a = await patientWithSession();
    const b = await patientWithSession();
    const hubA = await pairDevice(t.url, clinicianToken, a.user, 'hub');
    const hubB = await pairDevice(t.url, clinicianToken, b.user, 'hub');
    const post = (credential: string, body: unknown) =>
      fetch(`${t.url}/api/fhir/Observation`, {
        method: 'POST',
        headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify(body),
      });
    for (let i = 0; i < LIMIT; i++)
      expect((await post(hubA.credential, observation('8867-4', 70 + i, '/min'))).status).toBe(201);
    const over = await post(hubA.credential, observation('59408-5', 84, '%'));
    const outcome = (await over.json()) as { issue: { code: string; diagnostics: string }[] };
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(outcome.issue[0]).toMatchObject({
      code: 'throttled',
      diagnostics: expect.stringMatching(/this device's limit is 5 a minute/),
    });
    const spo2 = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM session_events WHERE session_id = $1
         AND type = 'vitals.recorded' AND data->'readings'->0->>'kind' = 'spo2'`,
      [a.sessionId],
    );
    expect(spo2[0].n).toBe(0);
    // Another device, and the patient's own account, keep their budgets.
    expect((await post(hubB.credential, observation('8867-4', 72, '/min'))).status).toBe(201);
    const own = await send('POST', `/api/sessions/${a.sessionId}/check-ins`, {
      token: a.token,
      body: { clientId: 'own-1', moaas: 5 },
    });
    expect(own.status).toBe(201);
  });

  it('limits routes without a login by client address, and never limits health probes', async () => {
    const refresh = (from: string) =>
      send('POST', '/api/auth/refresh', { from, body: { refreshToken: 'not-a-token' } });
    for (let i = 0; i < LIMIT; i++) expect((await refresh('192.0.2.10')).status).toBe(401);
    expectRefused(await refresh('192.0.2.10'), /this client address's limit is 5 a minute/);
    expect((await refresh('192.0.2.11')).status).toBe(401);

    for (let i = 0; i < LIMIT * 3; i++)
      expect((await send('GET', '/api/health/live', { from: '192.0.2.10' })).status).toBe(200);
  });
});
