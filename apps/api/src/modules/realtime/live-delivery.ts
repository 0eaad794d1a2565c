import type { SessionEvent } from '@vigil/contracts';

/** Session, then seq: each socket's own order, whatever else it was sent with. */
export function bySessionThenSeq(a: SessionEvent, b: SessionEvent): number {
  return a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : a.seq - b.seq;
}

/** Events owed, in this order, to each of these sockets of this instance. */
export interface Owed {
  socketIds: string[];
  events: SessionEvent[];
}

/** What the delivery engine needs from a connection: an id, a way to send, a way to refill a gap. */
export interface DeliveryPorts {
  /**
   * Sends what one delivery owes, once it has run: sockets owed the same events are listed
   * together, so what goes to them is encoded once. Each session's events are in seq order.
   */
  send(owed: Owed[]): void;
  /** Events of a session with seq in (after, upTo], in order, from the database. */
  fetch(sessionId: string, after: number, upTo: number): Promise<SessionEvent[]>;
  onError(err: Error): void;
}

/**
 * What one delivery owes each socket, sent when it ends: sockets owed the same events (a board's
 * dashboards watching the same sessions) share one `send`, so a batch is encoded once for all.
 */
class Outgoing {
  private readonly bySocket = new Map<string, { key: string; events: SessionEvent[] }>();
  private readonly ids = new Map<SessionEvent, number>();

  add(socketId: string, event: SessionEvent): void {
    let id = this.ids.get(event);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(event, id);
    }
    const owed = this.bySocket.get(socketId);
    if (owed) {
      owed.key += `,${id}`;
      owed.events.push(event);
    } else this.bySocket.set(socketId, { key: `${id}`, events: [event] });
  }

  send(ports: DeliveryPorts): void {
    if (this.bySocket.size === 0) return;
    const groups = new Map<string, Owed>();
    for (const [socketId, { key, events }] of this.bySocket) {
      const group = groups.get(key);
      if (group) group.socketIds.push(socketId);
      else groups.set(key, { socketIds: [socketId], events });
    }
    ports.send([...groups.values()]);
  }
}

interface Watch {
  /** Highest seq this socket has been sent for this session. */
  lastSeq: number;
  /** Non-null while the backlog is being read or a gap refilled: live events wait here. */
  buffer: SessionEvent[] | null;
}

/**
 * Per-socket, per-session ordered delivery. Socket.IO alone is at-most-once; this layer makes a
 * watcher see every seq exactly once and in order: it drops what it has already sent, and when
 * a seq jumps ahead (a lost cross-instance message, a reordering) it reads the missing events
 * from the database before sending more. While a watch's backlog is read, live events are held
 * and released after it, so nothing committed during the read is lost or repeated.
 */
export class LiveDelivery {
  private readonly watches = new Map<string, Map<string, Watch>>(); // sessionId -> socketId -> watch
  /** Highest seq `deliver` was handed per watched session. */
  private readonly delivered = new Map<string, number>();
  /** Watched sessions `deliver` was handed an event of since the last `takeBusy`. */
  private busy = new Set<string>();

  constructor(private readonly ports: DeliveryPorts) {}

  /** Starts holding live events for a socket before its backlog is read. */
  begin(sessionId: string, socketId: string, afterSeq: number): void {
    let bySocket = this.watches.get(sessionId);
    if (!bySocket) {
      bySocket = new Map();
      this.watches.set(sessionId, bySocket);
    }
    bySocket.set(socketId, { lastSeq: afterSeq, buffer: [] });
  }

  /**
   * The backlog has been sent up to `sentUpTo`: release what arrived meanwhile. Returns false if
   * the watch was dropped in between (unwatch, disconnect, access revoked).
   */
  complete(sessionId: string, socketId: string, sentUpTo: number): boolean {
    const watch = this.watches.get(sessionId)?.get(socketId);
    if (!watch || !watch.buffer) return false;
    const held = watch.buffer;
    watch.lastSeq = sentUpTo;
    watch.buffer = null;
    const out = new Outgoing();
    for (const event of held.sort((a, b) => a.seq - b.seq))
      this.deliverOne(sessionId, socketId, watch, event, out);
    out.send(this.ports);
    return true;
  }

  end(sessionId: string, socketId: string): void {
    const bySocket = this.watches.get(sessionId);
    bySocket?.delete(socketId);
    if (bySocket && bySocket.size === 0) {
      this.watches.delete(sessionId);
      this.delivered.delete(sessionId);
    }
  }

  endSocket(socketId: string): void {
    for (const sessionId of [...this.watches.keys()]) this.end(sessionId, socketId);
  }

  isWatching(sessionId: string, socketId: string): boolean {
    return this.watches.get(sessionId)?.has(socketId) ?? false;
  }

  watchersOf(sessionId: string): string[] {
    return [...(this.watches.get(sessionId)?.keys() ?? [])];
  }

  /** The sessions each of these sockets watches (those watching none are absent). */
  sessionsWatchedBy(socketIds: ReadonlySet<string>): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [sessionId, bySocket] of this.watches) {
      for (const socketId of bySocket.keys()) {
        if (!socketIds.has(socketId)) continue;
        const sessions = out.get(socketId);
        if (sessions) sessions.push(sessionId);
        else out.set(socketId, [sessionId]);
      }
    }
    return out;
  }

  /** Sessions with at least one watcher here. */
  watchedSessions(): string[] {
    return [...this.watches.keys()];
  }

  /**
   * The watched sessions that had a live event since the last call. Each of their watchers was
   * handed that event's seq, and one below it refills from the database on its own (a gap), so
   * up to the highest seq delivered (`deliveredUpTo`) they need no head sweep.
   */
  takeBusy(): Set<string> {
    const busy = this.busy;
    this.busy = new Set();
    return busy;
  }

  /** Highest seq delivered live for a watched session; 0 when none was. */
  deliveredUpTo(sessionId: string): number {
    return this.delivered.get(sessionId) ?? 0;
  }

  /**
   * The session's head in the database is `headSeq`: every watcher still below it (a lost
   * cross-instance message, a retry answered "duplicate") is refilled from the database. Returns
   * the sockets already at the head, which may be told the head to check their own lastSeq.
   */
  catchUp(sessionId: string, headSeq: number): string[] {
    const atHead: string[] = [];
    for (const [socketId, watch] of this.watches.get(sessionId) ?? []) {
      if (watch.buffer) continue; // a backlog read or refill is already on its way
      if (watch.lastSeq >= headSeq) {
        atHead.push(socketId);
        continue;
      }
      watch.buffer = [];
      this.refill(sessionId, socketId, watch, headSeq);
    }
    return atHead;
  }

  /** Committed events from any instance, in any order. */
  deliver(events: SessionEvent[]): void {
    const sorted = [...events].sort(bySessionThenSeq);
    const out = new Outgoing();
    for (const event of sorted) {
      const bySocket = this.watches.get(event.sessionId);
      if (!bySocket) continue;
      this.busy.add(event.sessionId);
      if (event.seq > this.deliveredUpTo(event.sessionId))
        this.delivered.set(event.sessionId, event.seq);
      for (const [socketId, watch] of bySocket)
        this.deliverOne(event.sessionId, socketId, watch, event, out);
    }
    out.send(this.ports);
  }

  private deliverOne(
    sessionId: string,
    socketId: string,
    watch: Watch,
    event: SessionEvent,
    out: Outgoing,
  ): void {
    if (watch.buffer) {
      watch.buffer.push(event);
      return;
    }
    if (event.seq <= watch.lastSeq) return; // already sent: never twice
    if (event.seq === watch.lastSeq + 1) {
      watch.lastSeq = event.seq;
      out.add(socketId, event);
      return;
    }
    // A gap: hold live events, refill from the database, then release.
    watch.buffer = [event];
    this.refill(sessionId, socketId, watch, event.seq);
  }

  /** Reads (lastSeq, upTo] from the database, then releases it with what was held meanwhile. */
  private refill(sessionId: string, socketId: string, watch: Watch, upTo: number): void {
    const from = watch.lastSeq;
    this.ports
      .fetch(sessionId, from, upTo)
      .then((missing) => {
        const current = this.watches.get(sessionId)?.get(socketId);
        if (current !== watch) return;
        const held = watch.buffer ?? [];
        watch.buffer = null;
        const out = new Outgoing();
        for (const e of [...missing, ...held].sort((a, b) => a.seq - b.seq))
          this.deliverOne(sessionId, socketId, watch, e, out);
        out.send(this.ports);
      })
      .catch((err: Error) => {
        // Keep holding; the next live event or head sweep retries from the same point.
        const current = this.watches.get(sessionId)?.get(socketId);
        if (current === watch) {
          const held = watch.buffer ?? [];
          watch.buffer = null;
          const next = held.filter((e) => e.seq > watch.lastSeq).sort((a, b) => a.seq - b.seq)[0];
          if (next) setTimeout(() => this.deliver([next]), 1000).unref();
        }
        this.ports.onError(err);
      });
  }
}
