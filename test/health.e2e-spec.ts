import { healthResponseSchema, liveResponseSchema, readyResponseSchema } from '@vigil/contracts';
import type { z } from 'zod';
import { ClinicalWatchdogService } from '../apps/api/src/modules/alerts/clinical-watchdog.service';
import { DatabaseProbe } from '../apps/api/src/modules/health/database-probe';
import { VigilMetrics } from '../apps/api/src/modules/metrics/vigil-metrics';
import { REDIS_PING_REPLACE_MS, RedisProbe } from '../apps/api/src/modules/health/redis-probe';
import { ShutdownState } from '../apps/api/src/common/shutdown-state';
import { parseConfig } from '../apps/api/src/config/config.schema';
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { startApiProcess, waitFor, type ApiProcess } from './support/api-process';
import { freePort } from './support/global-setup';
import { HAVE_REDIS_SERVER, OwnRedis } from './support/own-redis';
import { http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { connected, connectLive, sleep, type LiveClient } from './support/live-client';
import { StallProxy } from './support/stall-proxy';
import { createTestApp, createTestDatabase, TEST_SECRET, type TestApp } from './support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed JSON
type Json = Record<string, any>;
const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Json };
};

/** The real answer is what the contract's schema (and so the OpenAPI document) describes. */
const expectDocumented = (schema: z.ZodType, body: Json) =>
  expect(schema.safeParse(body).error).toBeUndefined();

describe('health endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness whatever the dependencies say', async () => {
    const live = await get(`${t.url}/api/health/live`);
    expect(live).toEqual({ status: 200, body: { status: 'ok' } });
    expectDocumented(liveResponseSchema, live.body);
  });

  it('is not ready until the clinical watchdog has ticked, then ready with each check named', async () => {
    const before = await get(`${t.url}/api/health/ready`);
    expect(before.status).toBe(503);
    expect(before.body.error.watchdog).toMatchObject({ status: 'down', lastTickAt: null });
    expectDocumented(readyResponseSchema, before.body);
    await t.app.get(ClinicalWatchdogService).tick();
    const after = await get(`${t.url}/api/health/ready`);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('ok');
    expect(after.body.details).toMatchObject({
      database: { status: 'up' },
      watchdog: { status: 'up' },
      shutdown: { status: 'up' },
    });
    expect(after.body.details.redis).toBeUndefined(); // no REDIS_URL, no Redis check
    expectDocumented(readyResponseSchema, after.body);
  });

  it('reports a busy database as up: the probe does not queue behind a saturated pool', async () => {
    await t.app.get(ClinicalWatchdogService).tick();
    // Every connection of the app's pool (20) busy for 4 s, and more queued behind them.
    const busy = Array.from({ length: 24 }, () => t.dataSource.query('SELECT pg_sleep(4)'));
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const [ready, legacy] = await Promise.all([
      get(`${t.url}/api/health/ready`),
      get(`${t.url}/api/health`),
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(ready.status).toBe(200);
    expect(legacy).toEqual({
      status: 200,
      body: { status: 'ok', database: 'up', version: expect.any(String) },
    });
    expectDocumented(healthResponseSchema, legacy.body);
    await Promise.all(busy);
  });

  it('says only that the database is unavailable, keeping its error (host, port) for the log', async () => {
    await t.app.get(ClinicalWatchdogService).tick();
    const probe = t.app.get(DatabaseProbe);
    const spy = jest
      .spyOn(probe, 'ping')
      .mockRejectedValue(new Error('connect ECONNREFUSED 10.9.8.7:5432'));
    try {
      const ready = await get(`${t.url}/api/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body.error.database).toEqual({ status: 'down', message: 'unavailable' });
      expect(JSON.stringify(ready.body)).not.toMatch(/10\.9\.8\.7|5432|ECONNREFUSED/);
      expectDocumented(readyResponseSchema, ready.body);
    } finally {
      spy.mockRestore();
    }
  });

  it('turns not ready once shutdown begins, while liveness holds', async () => {
    await t.app.get(ClinicalWatchdogService).tick();
    t.app.get(ShutdownState).begin();
    const ready = await get(`${t.url}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.error.shutdown).toMatchObject({ status: 'down', message: 'draining' });
    expectDocumented(readyResponseSchema, ready.body);
    expect((await get(`${t.url}/api/health/live`)).status).toBe(200);
    expect((await get(`${t.url}/api/health`)).status).toBe(200); // contract v1: the database answers
  });
});

describe('health probes against dead dependencies', () => {
  it('reports a database that does not answer as down within a few seconds', async () => {
    const probe = new DatabaseProbe('postgres://postgres@127.0.0.1:1/none');
    const started = Date.now();
    expect(await probe.isUp()).toBe(false);
    await expect(probe.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(6000);
    await probe.onModuleDestroy();
  });

  it('reports an unreachable Redis as down and does not queue the PING', async () => {
    const config = parseConfig({
      VIGIL_MODE: 'demo',
      REDIS_URL: 'redis://127.0.0.1:1',
      JWT_SECRET: TEST_SECRET,
    });
    const probe = new RedisProbe(config);
    expect(probe.configured).toBe(true);
    await expect(probe.ping()).rejects.toThrow();
    probe.onModuleDestroy();
  });

  (HAVE_REDIS_SERVER ? it : it.skip)(
    'replaces a Redis connection that will never answer again (a NAT that forgot it)',
    async () => {
      const redis = new OwnRedis(await freePort());
      await redis.start();
      const proxy = await StallProxy.inFrontOf(redis.url);
      const probe = new RedisProbe(
        parseConfig({
          VIGIL_MODE: 'demo',
          REDIS_URL: proxy.urlFor(redis.url),
          JWT_SECRET: TEST_SECRET,
        }),
      );
      try {
        await probe.ping();
        proxy.abandon();
        const started = Date.now();
        await expect(probe.ping()).rejects.toThrow();
        expect(Date.now() - started).toBeGreaterThanOrEqual(REDIS_PING_REPLACE_MS - 100);
        await probe.ping(); // on a new connection, through the proxy that lets new ones pass
      } finally {
        probe.onModuleDestroy();
        await proxy.close();
        await redis.kill();
      }
    },
  );
});

describe('readiness with Redis unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => t.close());

  // Every instance shares Redis: failing readiness for it took them all out of rotation, a whole
  // outage for what is a delay between instances (they serve without it).
  it('stays ready, names Redis down in the details, and the metric says cross-instance delivery is degraded', async () => {
    await t.app.get(ClinicalWatchdogService).tick();
    const ready = await get(`${t.url}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    // Public through the proxy, no login: the probe's own error (host, port) stays in the log.
    expect(ready.body.details.redis).toEqual({ status: 'down', message: 'unavailable' });
    expect(JSON.stringify(ready.body)).not.toMatch(/127\.0\.0\.1|:1\b/);
    expect(ready.body.details.database).toEqual({ status: 'up' });
    expect(ready.body.error ?? {}).toEqual({});
    expect(ready.body.info.redis).toBeUndefined();
    expectDocumented(readyResponseSchema, ready.body);
    const metric = await t.app
      .get(VigilMetrics)
      .registry.getSingleMetricAsString('vigil_cross_instance_degraded');
    expect(metric).toMatch(/^vigil_cross_instance_degraded 1$/m);
  });
});

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) {
  console.log('REDIS_URL is unset: the readiness check of a live Redis is SKIPPED (CI sets it).');
}
(REDIS_URL ? describe : describe.skip)('readiness with Redis', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { REDIS_URL: REDIS_URL! } });
  });
  afterAll(() => t.close());

  it('checks Redis when REDIS_URL is set', async () => {
    await t.app.get(ClinicalWatchdogService).tick();
    const ready = await get(`${t.url}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.details.redis).toEqual({ status: 'up' });
    expect(ready.body.info.redis).toEqual({ status: 'up' });
    expectDocumented(readyResponseSchema, ready.body);
  });
});

describe('SIGTERM on the real entry point', () => {
  it('answers 503 on readiness while still serving, then drains and exits 0', async () => {
    const db = await createTestDatabase();
    const api = await startApiProcess(db.url, { SHUTDOWN_DRAIN_MS: '3000' });
    try {
      await waitFor(
        'readiness',
        async () => (await fetch(`${api.url}/api/health/ready`)).status === 200,
        60_000,
        api.output,
      );
      api.process.kill('SIGTERM');
      await waitFor(
        'readiness to turn 503',
        async () => (await fetch(`${api.url}/api/health/ready`)).status === 503,
        2000,
        api.output,
      );
      // Still serving during the drain: liveness and the contract's health answer.
      expect((await fetch(`${api.url}/api/health/live`)).status).toBe(200);
      expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
      expect(await api.exited).toBe(0);
      expect(api.output()).toMatch(/SIGTERM: not ready; draining for 3000 ms/);
    } finally {
      await api.stop();
      await db.drop();
    }
  }, 90_000);

  /** Resolves to the exit code, or 'still running' past the bound. */
  const exitWithin = (api: ApiProcess, ms: number) =>
    Promise.race([
      api.exited,
      new Promise<'still running'>((r) => setTimeout(() => r('still running'), ms)),
    ]);
  const ready = (api: ApiProcess) =>
    waitFor(
      'readiness',
      async () => (await fetch(`${api.url}/api/health/ready`)).status === 200,
      60_000,
      api.output,
    );
  // Drain 500 ms + SHUTDOWN_TIMEOUT_MS 3 s, well inside the bound; without the timeout the first
  // waited for Node's 300 s request timeout, the second for the stalled pool, both past 15 s.
  const env = { SHUTDOWN_DRAIN_MS: '500', SHUTDOWN_TIMEOUT_MS: '3000' };

  it('exits within SHUTDOWN_TIMEOUT_MS (1, saying so) while a request body never finishes arriving', async () => {
    const db = await createTestDatabase();
    const api = await startApiProcess(db.url, env);
    let slow: Socket | undefined;
    try {
      await ready(api);
      slow = connect(Number(new URL(api.url).port), '127.0.0.1');
      slow.on('error', () => undefined);
      await new Promise<void>((r) => slow!.once('connect', () => r()));
      // Headers and the first bytes of a login body; the rest never comes (a phone in a tunnel).
      slow.write(
        'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'Content-Length: 100\r\n\r\n{"email":',
      );
      await sleep(300);
      api.process.kill('SIGTERM');
      expect(await exitWithin(api, 15_000)).toBe(1);
      expect(api.output()).toMatch(/not closed within SHUTDOWN_TIMEOUT_MS \(3000 ms\)/);
    } finally {
      slow?.destroy();
      await api.stop();
      await db.drop();
    }
  }, 90_000);

  it('exits within SHUTDOWN_TIMEOUT_MS while the network to PostgreSQL is stalled', async () => {
    const db = await createTestDatabase();
    const proxy = await StallProxy.inFrontOf(db.url);
    const api = await startApiProcess(proxy.urlFor(db.url), env);
    try {
      await ready(api);
      proxy.stall('both');
      await sleep(3000); // the watchdog's next tick (every 2 s) now waits on the stalled pool
      api.process.kill('SIGTERM');
      expect(await exitWithin(api, 15_000)).toBe(1);
    } finally {
      await api.stop();
      await proxy.close();
      await db.drop();
    }
  }, 90_000);
});

/**
 * SIGTERM while patients submit, on the real entry point. README "Configuration": readiness answers
 * 503 for SHUTDOWN_DRAIN_MS, then closing (requests finishing, sockets, pools) within
 * SHUTDOWN_TIMEOUT_MS. What an operator relies on: nothing acknowledged is lost, every
 * acknowledged help press has raised its alert (docs/API.md: "at once") by the time the process
 * exits, everything else is refused in a way the phone retries, and the exit is clean (0).
 */
describe('SIGTERM with submissions in flight', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: ApiProcess;
  let ds: DataSource;
  const sockets: LiveClient[] = [];

  const start = async (env: Record<string, string>) => {
    db = await createTestDatabase();
    api = await startApiProcess(db.url, env);
    await waitFor(
      'readiness',
      async () => (await fetch(`${api.url}/api/health/ready`)).status === 200,
      60_000,
      api.output,
    );
    ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
  };
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await api?.stop();
    if (ds?.isInitialized) await ds.destroy();
    await db?.drop();
  });

  type Patient = { user: TestUser; sessionId: string; token: string; socket: LiveClient };
  const patients = async (n: number): Promise<Patient[]> => {
    const clinician = await makeUser(ds, 'clinician');
    const out: Patient[] = [];
    for (let i = 0; i < n; i++) {
      const user = await makeUser(ds, 'patient');
      const sessionId = await makeSession(ds, { patient: user, clinician });
      const token = (await login(api.url, user)).accessToken;
      const socket = connectLive(api.url, token);
      sockets.push(socket);
      await connected(socket);
      out.push({ user, sessionId, token, socket });
    }
    return out;
  };
  const stored = async (clientIds: string[]): Promise<Set<string>> => {
    const rows: { client_id: string }[] = await ds.query(
      `SELECT client_id FROM session_events WHERE client_id = ANY($1::text[])`,
      [clientIds],
    );
    return new Set(rows.map((r) => r.client_id));
  };
  const helpAlerted = async (sessionIds: string[]): Promise<Set<string>> => {
    const rows: { session_id: string }[] = await ds.query(
      `SELECT session_id FROM alerts WHERE condition = 'help' AND session_id = ANY($1::uuid[])`,
      [sessionIds],
    );
    return new Set(rows.map((r) => r.session_id));
  };

  // Before: kept-alive connections were served on until SHUTDOWN_TIMEOUT_MS (10 s) cut them, exit 1.
  it('under REST and socket traffic, stores every acknowledged submission and exits 0', async () => {
    await start({ SHUTDOWN_DRAIN_MS: '1500', REST_RATE_LIMIT_PER_MINUTE: '100000' });
    const six = await patients(6);
    const outcomes: { clientId: string; result: string }[] = [];
    let stop = false;
    const loop = async (p: Patient, via: 'rest' | 'socket') => {
      while (!stop) {
        const clientId = randomUUID();
        const o = { clientId, result: 'pending' };
        outcomes.push(o);
        try {
          if (via === 'rest') {
            const r = await http(api.url, 'POST', `/api/sessions/${p.sessionId}/check-ins`, {
              token: p.token,
              body: { clientId, moaas: 5 },
            });
            o.result = r.status === 201 || r.status === 200 ? 'acked' : `http ${r.status}`;
          } else {
            if (!p.socket.connected) {
              o.result = 'not sent';
              await sleep(50);
              continue;
            }
            const ack = await p.socket
              .timeout(5000)
              .emitWithAck('checkin.submit', { sessionId: p.sessionId, clientId, moaas: 5 })
              .catch((e: Error) => ({ ok: false, code: `no ack: ${e.message}` }));
            o.result = ack.ok ? 'acked' : 'refused';
          }
        } catch (err) {
          o.result = `error ${(err as Error).message}`;
          await sleep(50);
        }
      }
    };
    const loops = six.flatMap((p) => [loop(p, 'rest'), loop(p, 'socket')]);
    await sleep(1000);
    api.process.kill('SIGTERM');
    const code = await api.exited;
    stop = true;
    await Promise.all(loops);

    const acked = outcomes.filter((o) => o.result === 'acked').map((o) => o.clientId);
    const kept = await stored(acked);
    expect(acked.length).toBeGreaterThan(50);
    expect(acked.filter((id) => !kept.has(id))).toEqual([]);
    expect(code).toBe(0);
  }, 120_000);

  /**
   * A phone's outbox (or a balancer keeping upstream connections alive: ingress-nginx, HAProxy,
   * an ALB) keeps its connections busy after SIGTERM. Before: past the drain, app.close() stopped
   * the alert engine and the watchdog (onModuleDestroy) before the HTTP server stopped serving
   * (dispose), and server.close() left busy keep-alive connections open: help presses got 201 and
   * no alert existed at exit (the next start's watchdog raised it, late).
   */
  it('raises the alert of a help press acknowledged on a kept-alive connection', async () => {
    await start({ SHUTDOWN_DRAIN_MS: '1000', SHUTDOWN_TIMEOUT_MS: '6000' });
    const [p] = await patients(1);
    const post = (what: string, body: object) =>
      http(api.url, 'POST', `/api/sessions/${p.sessionId}/${what}`, { token: p.token, body });
    let wantHelp = false;
    const helps: Array<number | string> = [];
    const loop = async () => {
      for (;;) {
        if (wantHelp) {
          const r = await post('help', { clientId: randomUUID(), note: 'after the drain' }).catch(
            (err: Error) => ({ status: `error ${err.message}` }),
          );
          helps.push(r.status);
          return;
        }
        const r = await post('check-ins', { clientId: randomUUID(), moaas: 5 }).catch(() => null);
        if (!r) await sleep(50);
      }
    };
    const steady = Promise.all([loop(), loop(), loop(), loop(), loop(), loop()]);
    await sleep(600);
    api.process.kill('SIGTERM');
    await waitFor(
      'shutting down',
      () => Promise.resolve(/SIGTERM: shutting down/.test(api.output())),
      5000,
    );
    await sleep(1000);
    wantHelp = true;
    await steady;
    const code = await api.exited;
    // Refused (503, or the connection refused: the phone sends it again) or raised its alert.
    if (helps.includes(201)) expect(await helpAlerted([p.sessionId])).toContain(p.sessionId);
    expect(helps.every((h) => h === 201 || h === 503 || String(h).startsWith('error'))).toBe(true);
    expect(code).toBe(0);
  }, 120_000);

  // Before: app.close() unsubscribed the engine at once, and presses committed after it had their
  // 201 or ack and no alert until the next start's watchdog.
  it('raises the alert of every help press in progress when SIGTERM comes', async () => {
    await start({ SHUTDOWN_DRAIN_MS: '0' });
    const eight = await patients(8);
    const presses = eight.map(async (p, i) => {
      const clientId = randomUUID();
      if (i % 2 === 0) {
        const ack = await p.socket
          .timeout(5000)
          .emitWithAck('help.request', { sessionId: p.sessionId, clientId, note: 'now' })
          .catch(() => ({ ok: false }));
        return { sessionId: p.sessionId, acked: ack.ok };
      }
      const r = await http(api.url, 'POST', `/api/sessions/${p.sessionId}/help`, {
        token: p.token,
        body: { clientId, note: 'now' },
      }).catch(() => ({ status: 0 }));
      return { sessionId: p.sessionId, acked: r.status === 201 };
    });
    await sleep(5);
    api.process.kill('SIGTERM');
    const outcomes = await Promise.all(presses);
    const code = await api.exited;
    const acked = outcomes.filter((o) => o.acked).map((o) => o.sessionId);
    const alerted = await helpAlerted(acked);
    expect(acked.filter((id) => !alerted.has(id))).toEqual([]);
    expect(code).toBe(0);
  }, 120_000);
});
