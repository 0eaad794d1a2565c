import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { startApiProcess, waitFor, type ApiProcess } from './support/api-process';
import { http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { connected, connectLive, sleep, type LiveClient } from './support/live-client';
import { StallProxy } from './support/stall-proxy';
import { createTestDatabase } from './support/test-app';

/**
 * SIGTERM on the real entry point (the built process, `startApiProcess`): readiness turns 503
 * while requests still finish, then the process drains and exits within SHUTDOWN_TIMEOUT_MS,
 * whatever a client or the network does; nothing acknowledged is lost. Split from
 * health.e2e-spec.ts, which keeps the health endpoints and probes.
 */
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
