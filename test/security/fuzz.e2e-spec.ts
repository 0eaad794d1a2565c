import fc from 'fast-check';
import { io } from 'socket.io-client';
import { TEST_SECRET } from '../support/test-secret';
import { assign, http, login, makeSession, makeUser, type TestUser } from '../support/factories';
import { connectLive, connected, type LiveClient } from '../support/live-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { FUZZ_RUNS, report } from './security-report';
import {
  ACTORS,
  CONCURRENCY,
  FIELDS,
  LONG,
  MAY_SEE_B,
  SEED,
  body,
  jwt,
  outcomeOf,
  param,
  pool,
  segment,
  weirdSmall,
  type Actor,
} from './fuzz-inputs';

interface Operation {
  method: string;
  path: string;
  params: string[];
  query: string[];
  hasBody: boolean;
}

/**
 * Attack surface, fuzzed: every REST operation the API documents (read from its own OpenAPI
 * document, so a new route is covered without editing this file) and every socket event, each
 * with FUZZ_RUNS payloads from fast-check, sent as a random kind of caller with ids that are
 * theirs, another patient's or garbage; plus bad handshake tokens and foreign origins. Counted:
 * 5xx answers, crashes (unhandled rejections, the instance gone) and leaks (patient B's name,
 * email, note or ids in an answer to someone who may not see B).
 */
describe('security: fuzzing, handshake attacks and origins', () => {
  let t: TestApp;
  const users = {} as Record<Exclude<Actor, 'anonymous'>, TestUser>;
  const tokens = {} as Record<Actor, string | undefined>;
  let sessionA: string;
  let sessionB: string;
  let markers: string[];
  const rejections: unknown[] = [];
  const onRejection = (r: unknown) => rejections.push(r);
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    t = await createTestApp({
      env: {
        SOCKET_RATE_LIMIT_PER_SECOND: '100000',
        SOCKET_RATE_LIMIT_BURST: '100000',
        LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
        // Thousands of payloads a minute from each caller are a flood by design: the limit would
        // answer most of them 429 before the code under test saw them (rest-rate-limit covers it).
        REST_RATE_LIMIT_PER_MINUTE: '1000000',
        HELP_RATE_LIMIT_PER_MINUTE: '1000000',
        // The full run lasts longer than the default 15 min token: the callers must stay who
        // they are throughout, or late payloads would all be answered 401.
        ACCESS_TOKEN_TTL_SECONDS: '86400',
        ALLOWED_ORIGINS: 'https://board.vigil.example',
      },
    });
    const ds = t.dataSource;
    users.patientA = await makeUser(ds, 'patient');
    users.patientB = await makeUser(ds, 'patient', 'Leakmarker Bravo');
    users.clinicianA = await makeUser(ds, 'clinician');
    users.clinicianB = await makeUser(ds, 'clinician');
    users.supervisor = await makeUser(ds, 'supervisor');
    await assign(ds, users.clinicianA, users.patientA);
    await assign(ds, users.clinicianB, users.patientB);
    sessionA = await makeSession(ds, { patient: users.patientA, clinician: users.clinicianA });
    sessionB = await makeSession(ds, { patient: users.patientB, clinician: users.clinicianB });
    for (const a of ACTORS)
      tokens[a] = a === 'anonymous' ? undefined : (await login(t.url, users[a])).accessToken;
    const note = await http(t.url, 'POST', `/api/sessions/${sessionB}/check-ins`, {
      token: tokens.patientB,
      body: { clientId: 'leak-note', moaas: 5, note: 'Leaknote-bravo-7731' },
    });
    expect(note.status).toBe(201);
    markers = [
      'Leakmarker Bravo',
      users.patientB.email,
      'Leaknote-bravo-7731',
      users.patientB.id,
      users.patientB.patientId!,
    ];
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
    process.off('unhandledRejection', onRejection);
  });

  /** Patient B's traces in an answer, minus those the request itself carried. */
  function leaked(actor: Actor, answer: string, request: string): string[] {
    if (MAY_SEE_B.has(actor)) return [];
    return markers.filter((m) => answer.includes(m) && !request.includes(m));
  }

  it(
    'every documented REST operation: no 5xx and no leak under fuzzed params, queries and bodies',
    async () => {
      const doc = (await http(t.url, 'GET', '/api/docs/openapi.json')).body as {
        paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>>;
      };
      const ops: Operation[] = [];
      for (const [path, methods] of Object.entries(doc.paths))
        for (const [method, op] of Object.entries(methods)) {
          if (path.includes('/auth/logout')) continue; // ends the fuzzing callers' own sessions
          ops.push({
            method: method.toUpperCase(),
            path,
            params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
            query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
            hasBody: ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase()),
          });
        }
      expect(ops.length).toBeGreaterThan(30);
      let payloads = 0;
      const fiveXx: string[] = [];
      const leaks: string[] = [];
      const statuses = new Map<number, number>();
      for (const [k, op] of ops.entries()) {
        const arb = fc.record({
          actor: fc.constantFrom(...ACTORS),
          params: fc.array(param(sessionA, sessionB), {
            minLength: op.params.length,
            maxLength: op.params.length,
          }),
          query: fc.dictionary(fc.constantFrom(...op.query, 'after', 'limit', 'x'), fc.string()),
          body,
        });
        const samples = fc.sample(arb, { numRuns: FUZZ_RUNS, seed: SEED + k });
        await pool(samples, CONCURRENCY, async (s) => {
          let i = 0;
          let path = op.path.replace(/\{[^}]+\}/g, () => segment(String(s.params[i++])));
          const q = new URLSearchParams(s.query).toString();
          if (q) path += `?${q}`;
          const res = await http(t.url, op.method, path, {
            token: tokens[s.actor],
            ...(op.hasBody
              ? s.body.raw !== undefined
                ? { rawBody: s.body.raw }
                : { body: s.body.json }
              : {}),
          });
          payloads++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const request = `${path} ${JSON.stringify(s.body)}`;
          // Readiness answers 503 by contract while not ready (here: a hand-driven clock, so no
          // watchdog tick); every other 5xx is a failure.
          const probe = op.path === '/api/health/ready' && res.status === 503;
          if (res.status >= 500 && !probe)
            fiveXx.push(`${op.method} ${path.slice(0, 120)} -> ${res.status}`);
          const seen = leaked(s.actor, JSON.stringify(res.body), request);
          if (seen.length)
            leaks.push(`${s.actor} ${op.method} ${path.slice(0, 120)}: ${seen.join(', ')}`);
        });
      }
      const health = await http(t.url, 'GET', '/api/health');
      report({
        check: 'REST fuzz, every documented operation x caller',
        inputs: ops.length,
        payloads,
        fiveXx: fiveXx.length,
        crashes: rejections.length + (health.status === 200 ? 0 : 1),
        leaks: leaks.length,
        detail: [...statuses]
          .sort((a, b) => a[0] - b[0])
          .map(([s, n]) => `${s}:${n}`)
          .join(' '),
      });
      expect(fiveXx.slice(0, 10)).toEqual([]);
      expect(leaks.slice(0, 10)).toEqual([]);
      expect(rejections).toEqual([]);
      expect(health.status).toBe(200);
    },
    LONG,
  );

  it(
    'every socket event: an answer to every payload, never a 5xx-like internal error or a leak',
    async () => {
      const byActor = {} as Record<Actor, LiveClient>;
      for (const a of ACTORS.filter((x) => x !== 'anonymous')) {
        byActor[a] = connectLive(t.url, tokens[a]);
        sockets.push(byActor[a]);
        await connected(byActor[a]);
      }
      const events = [
        'checkin.submit',
        'vitals.submit',
        'help.request',
        'presence.heartbeat',
        'session.watch',
        'session.unwatch',
        'sessions.watch',
      ] as const;
      let payloads = 0;
      const internal: string[] = [];
      const leaks: string[] = [];
      const unanswered: string[] = [];
      for (const [k, event] of events.entries()) {
        const arb = fc.record({
          actor: fc.constantFrom(...ACTORS.filter((x) => x !== 'anonymous')),
          payload: fc.oneof(
            weirdSmall,
            fc
              .record({
                sessionId: param(sessionA, sessionB),
                rest: fc.dictionary(fc.constantFrom(...FIELDS), weirdSmall, { maxKeys: 4 }),
              })
              .map(({ sessionId, rest }) => ({ ...rest, sessionId })),
            param(sessionA, sessionB).map((id) => ({ sessions: [{ sessionId: id, afterSeq: 0 }] })),
          ),
        });
        const samples = fc.sample(arb, { numRuns: FUZZ_RUNS, seed: SEED + 1000 + k });
        await pool(samples, CONCURRENCY, async (s) => {
          const socket = byActor[s.actor] as unknown as {
            timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> };
          };
          payloads++;
          const ack = await socket
            .timeout(10_000)
            .emitWithAck(event, s.payload)
            .catch(() => undefined);
          if (ack === undefined || typeof ack !== 'object' || ack === null || !('ok' in ack)) {
            unanswered.push(`${event} ${JSON.stringify(s.payload).slice(0, 100)}`);
            return;
          }
          const text = JSON.stringify(ack);
          if ((ack as { error?: { code?: string } }).error?.code === 'internal')
            internal.push(`${event} ${JSON.stringify(s.payload).slice(0, 100)}`);
          const seen = leaked(s.actor, text, JSON.stringify(s.payload));
          if (seen.length) leaks.push(`${s.actor} ${event}: ${seen.join(', ')}`);
        });
      }
      report({
        check: 'socket fuzz, every client event x caller',
        inputs: events.length,
        payloads,
        fiveXx: internal.length,
        crashes:
          rejections.length +
          ACTORS.filter((a) => a !== 'anonymous' && !byActor[a].connected).length,
        leaks: leaks.length,
        detail: `${unanswered.length} unanswered`,
      });
      expect(internal.slice(0, 10)).toEqual([]);
      expect(leaks.slice(0, 10)).toEqual([]);
      expect(unanswered.slice(0, 10)).toEqual([]);
      expect(rejections).toEqual([]);
    },
    LONG,
  );

  it(
    'refuses every kind of bad handshake token',
    async () => {
      const real = tokens.patientA!;
      const claims = JSON.parse(Buffer.from(real.split('.')[1], 'base64url').toString()) as {
        sub: string;
        role: string;
        tv: number;
        exp: number;
        iat: number;
      };
      const now = Math.floor(Date.now() / 1000);
      const [h, p, sig] = real.split('.');
      const attacks: Record<string, unknown> = {
        none: undefined,
        empty: '',
        null: null,
        number: 42,
        object: { token: real },
        array: [real],
        garbage: 'not-a-jwt',
        'two parts': `${h}.${p}`,
        'bearer prefix': `Bearer ${real}`,
        'alg none': `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, role: 'supervisor' })).toString('base64url')}.`,
        'wrong secret': jwt(claims, 'not-the-secret-0123456789abcdef0123456789'),
        'role tampered, signature kept': `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'supervisor' })).toString('base64url')}.${sig}`,
        expired: jwt({ ...claims, iat: now - 7200, exp: now - 3600 }),
        'no exp': jwt({ sub: claims.sub, role: claims.role, tv: claims.tv, iat: now }),
        'unknown user': jwt({ ...claims, sub: '00000000-0000-4000-8000-000000000000' }),
        'old token version': jwt({ ...claims, tv: claims.tv - 1 }),
        'RS256 header on an HMAC': jwt(claims, TEST_SECRET, { alg: 'RS256', typ: 'JWT' }),
        'signature stripped': `${h}.${p}.`,
        huge: 'a'.repeat(200_000),
        'NUL inside': `${real}\u0000`,
        'lone surrogate': `${real}\ud800`,
        'refresh token as access': 'x'.repeat(43),
      };
      let refused = 0;
      const accepted: string[] = [];
      for (const [name, token] of Object.entries(attacks)) {
        const s = io(`${t.url}/live`, {
          auth: token === undefined ? {} : { token },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        }) as LiveClient;
        sockets.push(s);
        const outcome = await outcomeOf(s);
        if (outcome === 'refused') refused++;
        else accepted.push(name);
        s.disconnect();
      }
      report({
        check: 'handshake attacks (bad tokens)',
        inputs: Object.keys(attacks).length,
        payloads: Object.keys(attacks).length,
        fiveXx: 0,
        crashes: rejections.length,
        leaks: accepted.length,
        detail: `${refused} refused`,
      });
      expect(accepted).toEqual([]);
    },
    LONG,
  );

  it('refuses sockets and CORS from origins it does not serve', async () => {
    const from = (origin: string) =>
      io(`${t.url}/live`, {
        auth: { token: tokens.clinicianA },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: { origin },
      }) as LiveClient;
    const evil = from('https://evil.example');
    const allowed = from('https://board.vigil.example');
    sockets.push(evil, allowed);
    const evilOutcome = await outcomeOf(evil);
    await connected(allowed);
    const cors = await fetch(`${t.url}/api/sessions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    const corsAllowed = cors.headers.get('access-control-allow-origin');
    report({
      check: 'origins (socket handshake, CORS preflight)',
      inputs: 2,
      payloads: 3,
      fiveXx: cors.status >= 500 ? 1 : 0,
      crashes: rejections.length,
      leaks: (evilOutcome === 'connected' ? 1 : 0) + (corsAllowed ? 1 : 0),
      detail: `foreign socket ${evilOutcome}; CORS allow-origin for it: ${corsAllowed ?? 'none'}`,
    });
    expect(evilOutcome).toBe('refused');
    expect(corsAllowed).toBeNull();
  });
});
