import {
  type SessionEvent,
  type WatchAck,
  type WatchManyAck,
  type WatchReadings,
  WATCH_MANY_LIMIT,
} from '@vigil/contracts';
import { receivedEvents } from './received-events';
import { ask, type LiveSocket } from './live-socket';

export type EventsListener = (events: SessionEvent[], reset: boolean) => void;

interface Watch {
  lastSeq: number;
  listeners: Set<EventsListener>;
  syncing: boolean;
  /** What the backlog holds of the readings: `all` once any listener asked for them (v1.5). */
  readings: WatchReadings;
  /** Asked for `all` while a `latest` answer was on its way: watch again once it is here. */
  again: boolean;
}

/**
 * Sessions per `sessions.watch` from this client (the server takes up to WATCH_MANY_LIMIT):
 * smaller batches fill a big board progressively instead of all at once after one long read.
 */
const WATCH_BATCH = Math.min(50, WATCH_MANY_LIMIT);
/** Watch answers worth another try: the server could not serve it now, not "never". */
const TRANSIENT = new Set(['unavailable', 'internal', 'rate_limited']);
/** Mean wait before re-watching sessions whose watch failed for a transient reason. */
const RETRY_MS = 1000;
/** A batch reads many backlogs: more time than one watch before falling back. */
const BATCH_ACK_TIMEOUT_MS = 30_000;

/**
 * The sessions this client watches, each with its `lastSeq`, and their resync by it: on every
 * (re)connect each watched session is re-watched from its last seq, and a jump in seq (a missed
 * frame) or a `session.heads` ahead of it triggers the same resync, so the screen never silently
 * skips an event. `LiveConnection` owns the socket and hands this what arrives on it.
 */
export class SessionWatches {
  private readonly watches = new Map<string, Watch>();
  private readonly pendingWatch = new Set<string>();
  private readonly retrying = new Set<string>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** False once the server did not understand `readings` (older than v1.5): watch for all. */
  private latestReadings = true;
  /** False once the server did not understand sessions.watch: watch one by one, as in v1. */
  private batchWatch = true;

  constructor(private readonly socketOf: () => LiveSocket | null) {}

  /** A (re)connect: every watched session again from its last seq. */
  resyncAll(): void {
    this.resyncMany([...this.watches.keys()]);
  }

  /** Where each watched session's log ends, every few seconds: behind it, resync. */
  onHeads(heads: { sessionId: string; headSeq: number }[]): void {
    for (const { sessionId, headSeq } of heads) {
      const watch = this.watches.get(sessionId);
      if (watch && !watch.syncing && headSeq > watch.lastSeq) void this.resync(sessionId);
    }
  }

  clear(): void {
    this.watches.clear();
  }

  /**
   * Streams a session's events; `reset` is true for the first delivery. `readings: 'latest'` (a
   * board's tiles) leaves out the readings a later one superseded; a listener asking for `all`
   * (a session's charts) turns a `latest` watch into a full one, delivered again with `reset`.
   */
  watch(sessionId: string, listener: EventsListener, asked: WatchReadings = 'all'): () => void {
    const readings = this.latestReadings ? asked : 'all';
    let watch = this.watches.get(sessionId);
    if (!watch) {
      watch = { lastSeq: 0, listeners: new Set(), syncing: false, readings, again: false };
      this.watches.set(sessionId, watch);
      watch.listeners.add(listener);
      this.watchSoon(sessionId);
    } else {
      watch.listeners.add(listener);
      if (readings === 'all' && watch.readings === 'latest') {
        watch.readings = 'all';
        watch.lastSeq = 0;
        if (watch.syncing) watch.again = true;
        else this.watchSoon(sessionId);
      }
    }
    return () => {
      const w = this.watches.get(sessionId);
      if (!w) return;
      w.listeners.delete(listener);
      if (w.listeners.size === 0) {
        this.watches.delete(sessionId);
        this.socketOf()?.emit('session.unwatch', { sessionId });
      }
    };
  }

  /** Watches asked for in the same tick (a board of 200) go out as one sessions.watch. */
  private watchSoon(sessionId: string): void {
    this.pendingWatch.add(sessionId);
    if (this.pendingWatch.size === 1)
      setTimeout(() => {
        const ids = [...this.pendingWatch];
        this.pendingWatch.clear();
        this.resyncMany(ids);
      }, 0);
  }
  /**
   * Live events, one or a batch, as the wire brought them: their seqs order the log, their data
   * is parsed here; each session's run in step goes to its listeners at once.
   */
  onEvents(events: SessionEvent[]): void {
    const inStep = new Map<Watch, SessionEvent[]>();
    for (const event of events) {
      const watch = this.watches.get(event.sessionId);
      if (!watch || watch.syncing) continue; // a resync in flight will bring it
      if (event.seq <= watch.lastSeq) continue;
      if (event.seq !== watch.lastSeq + 1) {
        void this.resync(event.sessionId); // marks the watch syncing before it awaits
        continue;
      }
      watch.lastSeq = event.seq;
      const run = inStep.get(watch);
      if (run) run.push(event);
      else inStep.set(watch, [event]);
    }
    for (const [watch, run] of inStep) {
      const parsed = receivedEvents(run);
      if (parsed.length > 0) for (const l of watch.listeners) l(parsed, false);
    }
  }

  private async resync(sessionId: string): Promise<void> {
    const watch = this.watches.get(sessionId);
    const socket = this.socketOf();
    if (!watch || !socket?.connected || watch.syncing) return;
    watch.syncing = true;
    try {
      const ack = await ask<WatchAck>(socket, 'session.watch', {
        sessionId,
        afterSeq: watch.lastSeq,
        ...(watch.readings === 'latest' && { readings: 'latest' as const }),
      });
      this.apply(watch, ack);
      if (!ack.ok && TRANSIENT.has(ack.error.code)) this.retrySoon([sessionId]);
      if (this.readingsRefused(ack)) watch.again = true;
    } catch {
      this.retrySoon([sessionId]); // no answer in time
    } finally {
      this.synced(sessionId, watch);
    }
  }

  /** A watch's answer is in: if its listeners asked for all readings meanwhile, watch again. */
  private synced(sessionId: string, watch: Watch): void {
    watch.syncing = false;
    if (!watch.again) return;
    watch.again = false;
    if (this.watches.get(sessionId) === watch) void this.resync(sessionId);
  }

  /**
   * A watch the server could not serve (its database briefly gone, overloaded) leaves this socket
   * not watching that session, so neither events nor heads would ever bring it back: try again
   * after a jittered second (issue 13: a board stayed behind after pg_terminate_backend).
   */
  private retrySoon(sessionIds: string[]): void {
    for (const id of sessionIds) this.retrying.add(id);
    this.retryTimer ??= setTimeout(
      () => {
        this.retryTimer = null;
        const ids = [...this.retrying].filter((id) => this.watches.has(id));
        this.retrying.clear();
        if (ids.length > 0) this.resyncMany(ids);
      },
      RETRY_MS * (0.5 + Math.random()),
    );
  }

  /**
   * Watches many sessions with one `sessions.watch` per WATCH_BATCH sessions (one message,
   * one rate-limit token): each slot is that session's own watch answer, applied as `resync`.
   */
  private resyncMany(sessionIds: string[]): void {
    const socket = this.socketOf();
    if (!socket?.connected) return;
    const due = sessionIds.filter((id) => {
      const w = this.watches.get(id);
      return w !== undefined && !w.syncing;
    });
    if (!this.batchWatch || due.length === 1) {
      for (const id of due) void this.resync(id);
      return;
    }
    for (let i = 0; i < due.length; i += WATCH_BATCH)
      void this.watchBatch(socket, due.slice(i, i + WATCH_BATCH));
  }

  private async watchBatch(socket: LiveSocket, ids: string[]): Promise<void> {
    const batch = ids.flatMap((sessionId) => {
      const watch = this.watches.get(sessionId);
      return watch ? [{ sessionId, watch, afterSeq: watch.lastSeq }] : [];
    });
    for (const b of batch) b.watch.syncing = true;
    let ack: WatchManyAck | null = null;
    try {
      ack = await ask<WatchManyAck>(
        socket,
        'sessions.watch',
        {
          sessions: batch.map(({ sessionId, watch, afterSeq }) => ({
            sessionId,
            afterSeq,
            ...(watch.readings === 'latest' && { readings: 'latest' as const }),
          })),
        },
        BATCH_ACK_TIMEOUT_MS,
      );
      if (ack.ok) {
        const slots = new Map(ack.sessions.map((s) => [s.sessionId, s] as const));
        for (const b of batch) {
          const slot = slots.get(b.sessionId);
          if (slot && this.watches.get(b.sessionId) === b.watch) this.apply(b.watch, slot);
          if (slot && !slot.ok && TRANSIENT.has(slot.error.code)) this.retrySoon([b.sessionId]);
        }
      } else if (TRANSIENT.has(ack.error.code)) {
        this.retrySoon(batch.map((b) => b.sessionId));
      }
    } catch {
      // No answer in time: a v1 server ignores sessions.watch (or it is overloaded); either way
      // watching one by one, as before, is what still works.
    } finally {
      for (const b of batch) this.synced(b.sessionId, b.watch);
    }
    if (ack !== null && this.readingsRefused(ack)) {
      this.resyncMany(batch.map((b) => b.sessionId));
      return;
    }
    // A server without sessions.watch (v1) answers `invalid` or nothing: fall back for good.
    if (ack === null || (!ack.ok && ack.error.code === 'invalid')) {
      this.batchWatch = false;
      for (const b of batch) void this.resync(b.sessionId);
    }
  }

  /**
   * A server older than v1.5 refuses `readings` as invalid (its watch payloads are closed): from
   * then on every watch asks for all readings, as before v1.5. True when it did.
   */
  private readingsRefused(ack: WatchAck | WatchManyAck): boolean {
    if (ack.ok || ack.error.code !== 'invalid' || !ack.error.message.includes('readings'))
      return false;
    this.latestReadings = false;
    for (const w of this.watches.values()) w.readings = 'all';
    return true;
  }

  private apply(watch: Watch, ack: WatchAck): void {
    // An answer to a `latest` watch that its listeners have since asked all readings of: the
    // full answer follows (`again`), from seq 0.
    if (!ack.ok || watch.again) return;
    const fresh = ack.events.filter((e: SessionEvent) => e.seq > watch.lastSeq);
    const first = watch.lastSeq === 0;
    if (fresh.length > 0) watch.lastSeq = fresh[fresh.length - 1].seq;
    // A `latest` answer covers more than it sends (superseded readings left out): next is upToSeq + 1.
    if (ack.upToSeq !== undefined) watch.lastSeq = Math.max(watch.lastSeq, ack.upToSeq);
    const parsed = receivedEvents(fresh);
    for (const l of watch.listeners) l(parsed, first);
  }
}
