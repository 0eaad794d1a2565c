import { io } from 'socket.io-client';
import {
  HANDSHAKE_UNAUTHORIZED,
  LIVE_NAMESPACE,
  LIVE_RECONNECTION,
  type BoardSummary,
  type ServerStatus,
  type SessionEvent,
  type SimpleAck,
  type SubmitAck,
  type WatchAck,
  type WatchManyAck,
  type WatchReadings,
  WATCH_MANY_LIMIT,
} from '@vigil/contracts';
import { authStore } from '../auth/auth-store';
import { serverNow } from '../clock/server-clock';
import { receivedEvents } from './received-events';
import { ask, type LiveSocket } from './live-socket';
import { RetryAfterRefusal } from './retry-after-refusal';
import { wentDown, withServerStatus, type ConnectionStatus } from './connection-status';

type EventsListener = (events: SessionEvent[], reset: boolean) => void;

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
 * The one module that owns socket traffic. It keeps a per-session `lastSeq` and resyncs by it:
 * on every (re)connect each watched session is re-watched from its last seq, and a jump in seq
 * (a missed frame) triggers the same resync, so the screen never silently skips an event.
 */
export class LiveConnection {
  private socket: LiveSocket | null = null;
  private status: ConnectionStatus = { state: 'connecting', since: serverNow() };
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private readonly boardListeners = new Set<(summaries: BoardSummary[]) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly watches = new Map<string, Watch>();
  private readonly pendingWatch = new Set<string>();
  private readonly retrying = new Set<string>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly afterRefusal = new RetryAfterRefusal(() => {
    if (this.socket && !this.socket.connected) this.socket.connect();
  });
  /** False once the server did not understand `readings` (older than v1.5): watch for all. */
  private latestReadings = true;
  /** False once the server did not understand sessions.watch: watch one by one, as in v1. */
  private batchWatch = true;
  /** This socket's last `server.status`: what a live status says again after an offline blip. */
  private serverStatus: ServerStatus | null = null;
  private readonly onOffline = () => this.setStatus(wentDown(this.status, 'offline'));
  /**
   * Back online with the socket still up (a Wi-Fi blip, a roaming hand-over shorter than
   * socket.io's ping timeout): events go on arriving on it, so the screen is live again; only
   * socket.io's `connect` said so before, and the "No live data" banner stayed over live alerts.
   * A socket that did not survive the blip is found dead by its ping timeout and reconnects.
   */
  private readonly onOnline = () => {
    if (this.status.state !== 'offline' || !this.socket?.connected) return;
    const live: ConnectionStatus = { state: 'live', since: serverNow() };
    this.setStatus(this.serverStatus ? (withServerStatus(live, this.serverStatus) ?? live) : live);
  };

  connect(): void {
    if (this.socket) return;
    const socket: LiveSocket = io(LIVE_NAMESPACE, {
      // v1.3: a board flush arrives as one `board.batch`, not one message per session; v1.6: the
      // events of one commit as one `session.events`, not one message per event.
      auth: (cb) =>
        cb({ token: authStore.get()?.accessToken ?? '', board: 'batch', events: 'batch' }),
      transports: ['websocket', 'polling'],
      ...LIVE_RECONNECTION,
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.afterRefusal.reset();
      this.serverStatus = null; // a new connection: the server says on connect what is wrong
      this.setStatus({ state: 'live', since: serverNow() });
      this.resyncMany([...this.watches.keys()]);
      for (const l of this.reconnectListeners) l();
    });
    socket.on('disconnect', (reason) => {
      this.setStatus(wentDown(this.status, 'reconnecting'));
      // The server hung up on purpose (logout, expired token): reconnect with a fresh token.
      if (reason === 'io server disconnect') void this.reauthenticate();
    });
    socket.on('connect_error', (err) => {
      if (this.status.state === 'live' || this.status.state === 'connecting') {
        this.setStatus(wentDown(this.status, 'reconnecting'));
      }
      if (err.message === HANDSHAKE_UNAUTHORIZED) void this.reauthenticate();
      // Refused in the handshake for another reason (`unavailable`: the server could not check
      // the token just now): socket.io does not try again by itself after a refusal, so we do.
      else if (!socket.active) this.afterRefusal.schedule();
    });
    socket.io.on('reconnect_failed', () => this.setStatus(wentDown(this.status, 'offline')));
    socket.on('session.events', ({ events }) => this.onEvents(events));
    // What a server older than v1.6 sends instead, whatever the handshake asked.
    socket.on('session.event', (event) => this.onEvents([event]));
    // Every few seconds the server says where each watched session's log ends: behind it, resync.
    socket.on('session.heads', (heads) => {
      for (const { sessionId, headSeq } of heads) {
        const watch = this.watches.get(sessionId);
        if (watch && !watch.syncing && headSeq > watch.lastSeq) void this.resync(sessionId);
      }
    });
    socket.on('server.status', (status) => {
      this.serverStatus = status;
      const next = withServerStatus(this.status, status);
      if (next) this.setStatus(next);
    });
    socket.on('board.batch', ({ summaries }) => this.onBoardSummaries(summaries));
    // What a server older than v1.3 sends instead, whatever the handshake asked.
    socket.on('board.updated', (summary) => this.onBoardSummaries([summary]));
    globalThis.addEventListener?.('offline', this.onOffline);
    globalThis.addEventListener?.('online', this.onOnline);
  }

  disconnect(): void {
    globalThis.removeEventListener?.('offline', this.onOffline);
    globalThis.removeEventListener?.('online', this.onOnline);
    this.afterRefusal.cancel();
    this.socket?.disconnect();
    this.socket = null;
    this.watches.clear();
  }

  getStatus(): ConnectionStatus {
    return this.status;
  }

  onStatus(listener: (s: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Each board flush's summaries at once, so a reader can apply them in one update. */
  onBoard(listener: (summaries: BoardSummary[]) => void): () => void {
    this.boardListeners.add(listener);
    return () => this.boardListeners.delete(listener);
  }

  /** Called after every (re)connect: the board refetches what it may have missed. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
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
        this.socket?.emit('session.unwatch', { sessionId });
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

  async submit(
    event: 'checkin.submit' | 'vitals.submit' | 'help.request',
    payload: Record<string, unknown>,
  ): Promise<SubmitAck> {
    const socket = this.socket;
    if (!socket?.connected) throw new Error('offline');
    return ask<SubmitAck>(socket, event, payload);
  }

  async heartbeat(sessionId: string): Promise<SimpleAck | null> {
    const socket = this.socket;
    if (!socket?.connected) return null;
    return ask<SimpleAck>(socket, 'presence.heartbeat', { sessionId }).catch(() => null);
  }

  private onBoardSummaries(summaries: BoardSummary[]): void {
    if (summaries.length === 0) return;
    for (const l of this.boardListeners) l(summaries);
  }

  /**
   * Live events, one or a batch, as the wire brought them: their seqs order the log, their data
   * is parsed here; each session's run in step goes to its listeners at once.
   */
  private onEvents(events: SessionEvent[]): void {
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
    const socket = this.socket;
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
    const socket = this.socket;
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

  private async reauthenticate(): Promise<void> {
    const token = await authStore.refresh();
    if (token && this.socket && !this.socket.connected) this.socket.connect();
  }

  private setStatus(status: ConnectionStatus): void {
    if (status.state === this.status.state && status.state !== 'live') return; // keep "since"
    this.status = status;
    for (const l of this.statusListeners) l(status);
  }
}

export const live = new LiveConnection();
