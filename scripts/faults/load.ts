// The clients of a fault run: phones that submit vitals through an outbox retried with the same
// clientId until acknowledged (as the simulator and the patient app do), and clinician boards
// that keep a lastSeq per session and re-watch from it on a gap, on a head ahead and on every
// reconnect (as apps/dashboard/src/realtime/live-connection.ts does). Both reconnect with the
// same LIVE_RECONNECTION backoff as the real clients.
import { io, type Socket } from 'socket.io-client';
import {
  LIVE_RECONNECTION,
  type ClientToServerEvents,
  type SessionEvent,
  type ServerToClientEvents,
  type SubmitAck,
  type WatchManyAck,
} from '@vigil/contracts';
import { setTimeout as sleep } from 'node:timers/promises';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 10_000;
const RETRYABLE = new Set(['rate_limited', 'unavailable', 'internal', 'timeout']);

export function liveSocket(url: string, token: string): LiveSocket {
  return io(`${url}/live`, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    ...LIVE_RECONNECTION,
  });
}

/** Polls `ok` every 50 ms; how long it took, or throws naming `what` after `ms`. */
export async function waitUntil(what: string, ok: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!ok()) {
    if (Date.now() - started > ms) throw new Error(`timed out: ${what}`);
    await sleep(50);
  }
  return Date.now() - started;
}

export interface Submission {
  clientId: string;
  readings: Array<{ kind: 'spo2'; value: number; measuredAt: string }>;
}

/** Every acknowledgement the run received, by clientId: what "acked" means in the table. */
export class Ledger {
  readonly acked = new Map<string, number>();
  /** A clientId answered with two different seqs: a duplicate by the server's own account. */
  seqMismatches = 0;
  /** Times of first acknowledgements, for the ingest-recovery figure. */
  readonly ackTimes: number[] = [];
  final = 0;
  /** Answers other than ok, by code (`no ack` for a timeout or a dropped socket). */
  readonly refusals = new Map<string, number>();

  refused(code: string): void {
    this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
  }

  /**
   * First answers that said `duplicate`: the submission was stored by an earlier send whose answer
   * never came back (a commit the API could not confirm), and the retry found it.
   */
  firstAnsweredDuplicate = 0;

  record(clientId: string, seq: number, duplicate: boolean): void {
    const before = this.acked.get(clientId);
    if (before === undefined) {
      if (duplicate) this.firstAnsweredDuplicate++;
      this.acked.set(clientId, seq);
      this.ackTimes.push(Date.now());
    } else if (before !== seq) this.seqMismatches++;
  }
}

export class Phone {
  socket: LiveSocket;
  private readonly outbox: Submission[] = [];
  private pumping = false;
  private timer: NodeJS.Timeout | null = null;
  private n = 0;
  /** The last few acknowledged submissions, for duplicate storms (same clientId, same body). */
  readonly recent: Submission[] = [];
  tag = 'warmup';

  constructor(
    readonly index: number,
    readonly sessionId: string,
    readonly token: string,
    public url: string,
    private readonly ledger: Ledger,
  ) {
    this.socket = liveSocket(url, token);
    this.socket.on('connect', () => void this.pump());
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  get pending(): number {
    return this.outbox.length;
  }

  /** Submits at `hz`, the phase spread over the population so the load is even. */
  start(hz: number, phase: number): void {
    this.stop();
    const period = 1000 / hz;
    this.timer = setTimeout(() => {
      this.submitNew();
      this.timer = setInterval(() => this.submitNew(), period);
    }, phase * period);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  close(): void {
    this.stop();
    this.socket.disconnect();
  }

  submitNew(): void {
    this.n++;
    this.outbox.push({
      clientId: `${this.tag}-p${this.index}-${this.n}`,
      readings: [{ kind: 'spo2', value: 94 + (this.n % 5), measuredAt: new Date().toISOString() }],
    });
    void this.pump();
  }

  /** Sends one submission on a socket, as is (a retry or a duplicate keeps clientId and body). */
  async send(socket: LiveSocket, item: Submission): Promise<SubmitAck | null> {
    try {
      const ack = (await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('vitals.submit', { sessionId: this.sessionId, ...item })) as SubmitAck;
      if (ack.ok) this.ledger.record(item.clientId, ack.seq, ack.duplicate);
      else this.ledger.refused(ack.error.code);
      return ack;
    } catch {
      this.ledger.refused('no ack');
      return null;
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.outbox.length > 0 && this.socket.connected) {
        const item = this.outbox[0];
        const ack = await this.send(this.socket, item);
        if (ack?.ok) {
          this.outbox.shift();
          this.recent.push(item);
          if (this.recent.length > 5) this.recent.shift();
        } else if (ack === null || RETRYABLE.has(ack.error.code)) {
          await sleep(ack?.ok === false && ack.error.code === 'rate_limited' ? 1000 : 200);
        } else {
          this.ledger.final++;
          console.error(`[faults] ${item.clientId} refused: ${ack.error.message}`);
          this.outbox.shift();
        }
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** A clinician's board: every session watched, never behind for long, never skipping a seq. */
export class Watcher {
  socket: LiveSocket;
  readonly last = new Map<string, number>();
  private readonly syncing = new Set<string>();
  private readonly again = new Set<string>();
  private readonly pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  /** sessions.watch messages refused or unanswered (rate limit, timeout, a restart). */
  failedWatches = 0;
  /** Events delivered twice (ignored by seq, as the dashboard does): not stored duplicates. */
  redelivered = 0;
  /** Seqs this board skipped for good (a bug if ever above 0). */
  skipped = 0;
  /**
   * What the server last said of its link to the other instances, and when (`server.status`; it
   * says nothing to a socket that connects while all is well).
   */
  crossInstance: { state: string; at: number } = { state: 'ok', at: Date.now() };

  constructor(
    readonly name: string,
    readonly url: string,
    private readonly token: string,
    private readonly sessionIds: string[],
  ) {
    this.socket = this.open();
  }

  private open(): LiveSocket {
    const socket = liveSocket(this.url, this.token);
    socket.on('connect', () => void this.watchAll());
    socket.on('session.event', (e) => this.onEvent(e));
    socket.on('server.status', (s) => {
      if (s.crossInstanceDelivery !== this.crossInstance.state)
        this.crossInstance = { state: s.crossInstanceDelivery, at: Date.now() };
    });
    socket.on('session.heads', (heads) => {
      for (const { sessionId, headSeq } of heads)
        if (headSeq > (this.last.get(sessionId) ?? 0)) void this.resync(sessionId);
    });
    return socket;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** A long disconnect: the board goes away, keeping its lastSeqs, and comes back later. */
  disconnect(): void {
    this.socket.disconnect();
  }

  reconnect(): void {
    this.socket.connect();
  }

  private apply(events: SessionEvent[]): void {
    for (const e of events) this.onEvent(e, true);
  }

  private onEvent(e: SessionEvent, fromResync = false): void {
    const prev = this.last.get(e.sessionId) ?? 0;
    if (e.seq <= prev) {
      if (!fromResync) this.redelivered++;
      return;
    }
    if (e.seq !== prev + 1) {
      if (fromResync) this.skipped += e.seq - prev - 1;
      else return void this.resync(e.sessionId);
    }
    this.last.set(e.sessionId, e.seq);
  }

  /**
   * Re-watches a session from its lastSeq. Like the dashboard, the resyncs of one tick go out as
   * one `sessions.watch` (a board behind on 300 sessions sends 2 messages, not 300, and stays
   * inside the per-user rate limit).
   */
  private resync(sessionId: string): void {
    if (this.syncing.has(sessionId)) return void this.again.add(sessionId);
    this.pending.add(sessionId);
    this.flushTimer ??= setTimeout(() => void this.flush(), 20);
  }

  private async flush(): Promise<void> {
    this.flushTimer = null;
    const ids = [...this.pending];
    this.pending.clear();
    ids.forEach((id) => this.syncing.add(id));
    try {
      await this.watchMany(ids);
    } finally {
      ids.forEach((id) => this.syncing.delete(id));
      for (const id of ids) if (this.again.delete(id)) this.resync(id);
    }
  }

  private async watchMany(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 250) {
      const batch = ids.slice(i, i + 250);
      const ack = (await this.socket
        .timeout(30_000)
        .emitWithAck('sessions.watch', {
          sessions: batch.map((sessionId) => ({
            sessionId,
            afterSeq: this.last.get(sessionId) ?? 0,
          })),
        })
        .catch(() => null)) as WatchManyAck | null;
      // A failed watch leaves the socket not watching: retry after a jittered second, as the
      // dashboard does (heads only come for sessions the server has this socket watching).
      if (!ack?.ok) {
        this.failedWatches++;
        this.retrySoon(batch);
        continue;
      }
      for (const slot of ack.sessions) {
        if (slot.ok) this.apply(slot.events);
        else if (slot.error.code !== 'not_found' && slot.error.code !== 'forbidden')
          this.retrySoon([slot.sessionId]);
      }
    }
  }

  private retrySoon(ids: string[]): void {
    setTimeout(() => ids.forEach((id) => this.resync(id)), 500 + Math.random() * 1000);
  }

  private async watchAll(): Promise<void> {
    await this.watchMany(this.sessionIds);
  }

  /** Sessions where this board is behind the database's head. */
  behind(heads: Map<string, number>): number {
    let n = 0;
    for (const [id, head] of heads) if ((this.last.get(id) ?? 0) !== head) n++;
    return n;
  }

  close(): void {
    this.socket.disconnect();
  }
}
