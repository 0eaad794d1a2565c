import type { Server } from 'node:http';
import type { Namespace } from 'socket.io';
import { LiveGateway } from '../apps/api/src/modules/realtime/live.gateway';
import type { SessionEvent, SubmitAck } from '@vigil/contracts';
import { assign, login, makeSession, makeUser } from './support/factories';
import {
  connectLive,
  connected,
  recordEvents,
  sleep,
  until,
  watch,
  type LiveClient,
} from './support/live-client';
import { createTestApp, type TestApp } from './support/test-app';

const REDIS_URL = process.env.REDIS_URL;
const describeWithRedis = REDIS_URL ? describe : describe.skip;
if (!REDIS_URL) {
  console.warn(
    'REDIS_URL is unset: the two-instance scale-out test over Redis is SKIPPED (CI sets it).',
  );
}

/** A phone with an outbox: every submission is retried with its clientId until acknowledged. */
class Phone {
  socket: LiveClient;
  readonly acked = new Map<string, number>();
  /** Refusals by code (busy, rate limited...): a real outbox retries them, and so does this one. */
  readonly refusals: Record<string, number> = {};
  // Each entry keeps its body from the moment it was queued, as the phone's outbox does: a retry
  // of a submission A committed but never acknowledged must be the same body (answered
  // "duplicate"), not a new measuredAt (answered "conflict" for ever).
  private readonly outbox: Array<{ clientId: string; value: number; measuredAt: string }> = [];

  constructor(
    private url: string,
    private readonly token: string,
    private readonly sessionId: string,
  ) {
    this.socket = connectLive(url, token);
  }

  queue(clientId: string, value: number) {
    this.outbox.push({ clientId, value, measuredAt: new Date().toISOString() });
  }

  switchTo(url: string) {
    this.url = url;
    this.socket.disconnect();
    this.socket = connectLive(url, this.token);
  }

  /** Sends whatever is not acknowledged yet; returns how many are still waiting. */
  async drain(max = Infinity): Promise<number> {
    for (const item of this.outbox.slice(0, max)) {
      if (!this.socket.connected) break;
      let ack: SubmitAck;
      try {
        ack = await this.socket.timeout(2000).emitWithAck('vitals.submit', {
          sessionId: this.sessionId,
          clientId: item.clientId,
          readings: [{ kind: 'heart_rate', value: item.value, measuredAt: item.measuredAt }],
        });
      } catch {
        break; // no ack: the instance may be gone; keep it in the outbox
      }
      if (ack.ok) {
        this.acked.set(item.clientId, ack.seq);
        this.outbox.splice(this.outbox.indexOf(item), 1);
      } else {
        this.refusals[ack.error.code] = (this.refusals[ack.error.code] ?? 0) + 1;
        await sleep(100); // back off, as the phone's outbox does
      }
      await sleep(5); // a phone's pace, not a tight loop
    }
    return this.outbox.length;
  }
}

describeWithRedis('two API instances over Redis', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await createTestApp({ env: { REDIS_URL: REDIS_URL! } });
    b = await createTestApp({ env: { REDIS_URL: REDIS_URL! }, databaseUrl: a.databaseUrl });
  });
  afterAll(async () => {
    await b.close();
    await a.close().catch(() => undefined);
  });

  it('streams a patient on A to a clinician on B; after A dies the patient retries on B; nothing lost or doubled', async () => {
    const patient = await makeUser(a.dataSource, 'patient');
    const clinician = await makeUser(a.dataSource, 'clinician');
    await assign(a.dataSource, clinician, patient);
    const sessionId = await makeSession(a.dataSource, { patient, clinician });

    const watcher = connectLive(b.url, (await login(b.url, clinician)).accessToken);
    await connected(watcher);
    const live = recordEvents(watcher);
    const ack = await watch(watcher, sessionId, 0);
    if (!ack.ok) throw new Error('watch failed');

    const phone = new Phone(a.url, (await login(a.url, patient)).accessToken, sessionId);
    await connected(phone.socket);
    for (let i = 0; i < 60; i++) phone.queue(`hr-${i}`, 60 + i);
    await phone.drain(20);
    expect(phone.acked.size).toBe(20);
    await until(() => live.length >= 20, 5000, 'events to cross from A to B');

    // Kill A mid-stream, with submissions in flight: drop every connection without a goodbye.
    const drain = phone.drain();
    await until(() => phone.acked.size >= 25, 5000, 'more acks');
    const gateway: unknown = a.app.get(LiveGateway);
    const io = (gateway as { nsp: Namespace }).nsp.server;
    (a.app.getHttpServer() as Server).close();
    io.engine.close(); // every transport dropped at once, no disconnect handshake: a crash
    (a.app.getHttpServer() as Server).closeAllConnections();
    await drain;
    await a.app.close().catch(() => undefined);
    expect(phone.acked.size).toBeLessThan(60);

    const ackedBeforeKill = phone.acked.size;
    phone.switchTo(b.url);
    await connected(phone.socket);
    // Until the outbox is empty, reconnecting as a phone does if the server dropped it; a
    // bounded wait that says what the server answered instead of spinning until jest's timeout.
    const deadline = Date.now() + 30_000;
    while ((await phone.drain()) > 0) {
      if (Date.now() > deadline)
        throw new Error(`outbox not drained on B; refusals: ${JSON.stringify(phone.refusals)}`);
      if (!phone.socket.connected) phone.socket.connect();
      await sleep(50);
    }

    const rows: Array<{ client_id: string; n: number }> = await b.dataSource.query(
      `SELECT client_id, count(*)::int AS n FROM session_events WHERE session_id = $1 AND client_id IS NOT NULL GROUP BY client_id`,
      [sessionId],
    );
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    for (const [clientId, seq] of phone.acked) {
      const [row] = await b.dataSource.query(
        `SELECT seq FROM session_events WHERE session_id = $1 AND client_id = $2`,
        [sessionId, clientId],
      );
      expect(Number(row.seq)).toBe(seq);
    }
    const head = Number(
      (await b.dataSource.query(`SELECT head_seq FROM sessions WHERE id = $1`, [sessionId]))[0]
        .head_seq,
    );
    await until(() => (live.at(-1)?.seq ?? 0) === head, 5000, 'the watcher on B to see the head');
    const all: SessionEvent[] = [...ack.events, ...live];
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    console.log(
      `scale-out: ${ackedBeforeKill} acknowledged by A before it died, ${phone.acked.size} in all, ${head} events, all delivered once in order on B`,
    );
    watcher.disconnect();
    phone.socket.disconnect();
  }, 90_000);
});
