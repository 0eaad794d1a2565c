import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  SessionEvent,
  SessionHead,
  WatchAck,
  WatchReadings,
  WatchSlot,
} from '@vigil/contracts';
import type { RequestContext } from '../../common/request-context';
import { AuditService, auditFrom } from '../audit/audit.service';
import { readAfterMany, type ReadAfter } from '../events/event-reads';
import { EventStore } from '../events/event-store';
import { SessionAccess } from '../sessions/session-access';
import { LiveDelivery, type DeliveryPorts } from './live-delivery';
import { ackError } from './live-inbound';
import { readSessionHeads, readSessionIdsOfPatient } from './watch.repository';

/** Largest backlog sent in one watch ack; a client further behind pages through REST. */
export const WATCH_BACKLOG_LIMIT = 10_000;
/** Sessions of one `sessions.watch` decided and read in one statement each (`prepare`). */
const WATCH_MANY_CHUNK = 50;

/** One session's watch, read and registered, waiting for its ack to go out. */
/** A watch's answer, and the seq it covers: live delivery to the socket goes on after it. */
interface Backlog {
  ack: WatchAck & { ok: true };
  upToSeq: number;
}

/**
 * The answer to one watch from what was read. A board's (`readings: 'latest'`) leaves out the
 * superseded readings but covers everything read, and says so (`upToSeq`), so it expects
 * `upToSeq + 1` next, as live delivery does.
 */
function backlog(
  read: ReadAfter | undefined,
  request: Pick<WatchRequest, 'afterSeq' | 'readings'>,
): Backlog {
  const { events, headSeq, upToSeq: lastRead } = read ?? { events: [], headSeq: 0, upToSeq: null };
  // A client claiming to be ahead of the head (a bad cache) restarts from the head.
  const upToSeq = lastRead ?? Math.min(request.afterSeq, headSeq);
  if (request.readings !== 'latest') return { ack: { ok: true, events, headSeq }, upToSeq };
  return { ack: { ok: true, events, headSeq, upToSeq }, upToSeq };
}

/** One session a socket asks to watch: from which seq, and how much of its readings (v1.5). */
export interface WatchRequest {
  sessionId: string;
  afterSeq: number;
  readings?: WatchReadings;
}

interface Prepared {
  sessionId: string;
  ack: WatchAck;
  /** After the ack: releases the live events held during the read. */
  release(): void;
}

/**
 * How often each instance reads the heads of the sessions its sockets watch. Cross-instance
 * delivery is at-most-once (a Redis outage, an instance dying between commit and publish, a
 * retry answered "duplicate" that announces nothing): this sweep bounds how long any watcher can
 * stay behind the database to about this interval, even when nothing new happens.
 */
export const HEAD_SWEEP_MS = 2000;
/** How long a sweep waits for a busy session's event that committed but has not arrived yet. */
const HEAD_SWEEP_GRACE_MS = 250;

/** Sends one `session.heads` to these sockets (encoded once for all of them). */
export type SendHeads = (socketIds: string[], heads: SessionHead[]) => void;

/**
 * The sweep's lists, the sockets told the very same heads together, so each list is encoded
 * once: on a quiet board of 2,000 sessions that 20 dashboards watch, the 20 lists are one. At
 * 2,000 x 20 with 1,800 sessions quiet, sending took 8.0-17.5 ms of the event loop a sweep one
 * socket at a time, 1.4-6.0 ms so (issue 15, `--rate 0.05`). Lists are the same when they hold
 * the same head objects in the same order (the sweep makes one object per session).
 */
export function sameHeads(
  bySocket: ReadonlyMap<string, SessionHead[]>,
): Array<{ socketIds: string[]; heads: SessionHead[] }> {
  const groups: Array<{ socketIds: string[]; heads: SessionHead[] }> = [];
  for (const [socketId, heads] of bySocket) {
    const same = groups.find(
      (g) => g.heads.length === heads.length && g.heads.every((h, i) => h === heads[i]),
    );
    if (same) same.socketIds.push(socketId);
    else groups.push({ socketIds: [socketId], heads });
  }
  return groups;
}

/**
 * Session watching: access check, audited backlog read, then the socket registered with the
 * gapless live delivery (LiveDelivery), and the head sweep. It makes the delivery engine and
 * hands it to the fan-out listener (`attach`), which gives it committed events directly.
 */
@Injectable()
export class WatchService implements OnModuleDestroy {
  private readonly logger = new Logger('Watch');
  private delivery: LiveDelivery | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;
  /** Refill reads in progress, by session and stretch (`refillRead`). */
  private readonly refills = new Map<string, Promise<SessionEvent[]>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: SessionAccess,
    private readonly store: EventStore,
    private readonly audit: AuditService,
  ) {}

  attach(send: DeliveryPorts['send'], sendHeads?: SendHeads): LiveDelivery {
    this.delivery = new LiveDelivery({
      send,
      fetch: (sessionId, after, upTo) => this.refillRead(sessionId, after, upTo),
      onError: (err) => this.logger.error(`gap refill failed: ${err.message}`),
    });
    this.sweepTimer = setInterval(() => void this.sweepHeads(sendHeads), HEAD_SWEEP_MS);
    this.sweepTimer.unref();
    return this.delivery;
  }

  /**
   * One read for every watcher refilling the same stretch of a session's log at once: a lost
   * event (a Redis outage) leaves all of a session's watchers on this instance at the same seq,
   * and a board's 20 dashboards then cost one read of it, not 20.
   */
  private refillRead(sessionId: string, after: number, upTo: number): Promise<SessionEvent[]> {
    const key = `${sessionId}|${after}|${upTo}`;
    let read = this.refills.get(key);
    if (!read) {
      read = this.store.readAfter(sessionId, after, upTo - after).then((r) => r.events);
      this.refills.set(key, read);
      const forget = () => void this.refills.delete(key);
      read.then(forget, forget);
    }
    return read;
  }

  onModuleDestroy(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  /**
   * Catches every watcher of this instance up to its session's head in the database, and tells
   * the sockets already there the heads (a socket that lost frames on its own re-watches). A
   * session with a live event since the last sweep is left alone when that event reached the
   * head: its watchers got the seq with it, and one behind refills on its own. Its head is still
   * read, so a lost last message (the session then quiet) is caught up here, not a sweep later;
   * when the head is ahead only because its event is on the way (this instance's appends are
   * waited for; another's come over Redis), a short grace lets it arrive rather than refill every
   * watcher from the database.
   */
  async sweepHeads(sendHeads?: SendHeads): Promise<void> {
    const delivery = this.delivery;
    if (!delivery || this.sweeping) return;
    const ids = delivery.watchedSessions();
    if (ids.length === 0) return;
    this.sweeping = true;
    try {
      // Taken before the read: an event delivered during it counts for the next sweep.
      const busy = delivery.takeBusy();
      const rows = await readSessionHeads(this.dataSource, ids);
      // A head this instance committed and has yet to publish is not a lost event: wait for it.
      await this.store.published();
      const bySocket = new Map<string, SessionHead[]>();
      const behind: typeof rows = [];
      for (const { id, headSeq } of rows) {
        if (busy.has(id)) {
          if (delivery.deliveredUpTo(id) < headSeq) behind.push({ id, headSeq });
          continue;
        }
        // One object per session, shared by every socket's list: sameHeads compares references.
        const head = { sessionId: id, headSeq };
        for (const socketId of delivery.catchUp(id, headSeq)) {
          const heads = bySocket.get(socketId) ?? [];
          heads.push(head);
          bySocket.set(socketId, heads);
        }
      }
      if (sendHeads)
        for (const { socketIds, heads } of sameHeads(bySocket)) sendHeads(socketIds, heads);
      if (behind.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, HEAD_SWEEP_GRACE_MS).unref());
      for (const { id, headSeq } of behind)
        if (delivery.deliveredUpTo(id) < headSeq) delivery.catchUp(id, headSeq);
    } catch (err) {
      this.logger.error(`head sweep failed: ${(err as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }

  private get live(): LiveDelivery {
    if (!this.delivery) throw new Error('WatchService used before the gateway attached');
    return this.delivery;
  }

  /**
   * Registers the socket before reading the backlog, so an event committed during the read is
   * held and released after the ack: none lost, none twice. `sendAck` runs before the release.
   */
  async watch(
    ctx: RequestContext,
    socketId: string,
    request: WatchRequest,
    sendAck: (ack: WatchAck) => void,
  ): Promise<void> {
    const [prepared] = await this.prepare(ctx, socketId, [request]);
    sendAck(prepared.ack);
    prepared.release();
  }

  /**
   * Many sessions for one socket (`sessions.watch`): every slot is prepared as `watch` does, the
   * one ack is sent, and only then are the held live events released, so each session keeps the
   * gapless backlog-then-live guarantee. Access is decided per session: a slot the caller may not
   * see answers not_found, as `session.watch` would, and is audited as denied.
   */
  async watchMany(
    ctx: RequestContext,
    socketId: string,
    entries: readonly WatchRequest[],
    sendAck: (slots: WatchSlot[]) => void,
  ): Promise<void> {
    const prepared = await this.prepare(ctx, socketId, entries);
    sendAck(prepared.map((p) => ({ sessionId: p.sessionId, ...p.ack })));
    for (const p of prepared) p.release();
  }

  /**
   * Watches of one socket, decided, read and audited in one transaction: a chunk of sessions at a
   * time takes one access query and one statement reading every visible backlog (not about six
   * statements per session), then one append audits them all, seen or denied. One transaction, not
   * one per chunk: the reply goes out only when every chunk is read, so a chunk that fails must
   * take the earlier chunks' `session.watch` rows with it, or the log says the client was sent
   * backlogs it never got. The chain's head is still locked only from the append to the commit,
   * and a watch is at most 250 sessions (5 chunks) on one connection.
   */
  private async prepare(
    ctx: RequestContext,
    socketId: string,
    entries: readonly WatchRequest[],
  ): Promise<Prepared[]> {
    const nothing = () => undefined;
    const access = new Map<string, { patientId: string; visible: boolean }>();
    const backlogs = new Map<string, Backlog>();
    const begun: string[] = [];
    try {
      await this.dataSource.transaction(async (manager) => {
        for (let i = 0; i < entries.length; i += WATCH_MANY_CHUNK) {
          const chunk = entries.slice(i, i + WATCH_MANY_CHUNK);
          const seen = await this.access.visibilityOf(
            ctx.user,
            chunk.map((e) => e.sessionId),
            manager,
          );
          for (const [sessionId, a] of seen) access.set(sessionId, a);
          const visible = chunk.filter((e) => seen.get(e.sessionId)?.visible);
          for (const e of visible) {
            this.live.begin(e.sessionId, socketId, e.afterSeq);
            begun.push(e.sessionId);
          }
          if (visible.length === 0) continue;
          const read = await readAfterMany(
            manager,
            visible.map((e) => ({
              sessionId: e.sessionId,
              after: e.afterSeq,
              readings: e.readings,
            })),
            WATCH_BACKLOG_LIMIT,
          );
          for (const e of visible) backlogs.set(e.sessionId, backlog(read.get(e.sessionId), e));
        }
        await this.audit.append(
          entries.map((e) => {
            const session = access.get(e.sessionId);
            return auditFrom(ctx, {
              action: 'session.watch',
              entityType: 'session',
              entityId: e.sessionId,
              patientId: session?.patientId ?? null,
              ...(session?.visible
                ? {
                    outcome: 'success' as const,
                    detail: {
                      afterSeq: e.afterSeq,
                      sent: backlogs.get(e.sessionId)?.ack.events.length ?? 0,
                      ...(e.readings === 'latest' && { readings: 'latest' }),
                    },
                  }
                : { outcome: 'denied' as const }),
            });
          }),
          manager,
        );
      });
    } catch (err) {
      for (const sessionId of begun) this.live.end(sessionId, socketId);
      throw err;
    }
    return entries.map(({ sessionId }): Prepared => {
      if (!access.get(sessionId)?.visible)
        // One answer whether it is absent or not the caller's: no existence oracle (as REST's 404).
        return {
          sessionId,
          ack: ackError('not_found', 'sessionId: no such session'),
          release: nothing,
        };
      const { ack, upToSeq } = backlogs.get(sessionId) ?? backlog(undefined, { afterSeq: 0 });
      return {
        sessionId,
        ack,
        release: () => void this.live.complete(sessionId, socketId, upToSeq),
      };
    });
  }

  unwatch(socketId: string, sessionId: string): void {
    this.live.end(sessionId, socketId);
  }

  /**
   * A client's `session.unwatch`: ends the watch and audits it (`session.unwatch`, an access
   * action beside `session.watch`: the trail says when someone stopped seeing a patient's
   * session, not only when they started). Not watching it: nothing happens, nothing audited.
   */
  async unwatchAsked(ctx: RequestContext, socketId: string, sessionId: string): Promise<void> {
    if (!this.isWatching(sessionId, socketId)) return;
    this.unwatch(socketId, sessionId);
    await this.audit.append([
      auditFrom(ctx, {
        action: 'session.unwatch',
        entityType: 'session',
        entityId: sessionId,
        patientId: await this.audit.patientOfSession(sessionId),
        outcome: 'success',
      }),
    ]);
  }

  disconnected(socketId: string): void {
    this.delivery?.endSocket(socketId);
  }

  sessionsWatchedBy(socketIds: ReadonlySet<string>): Map<string, string[]> {
    return this.delivery?.sessionsWatchedBy(socketIds) ?? new Map<string, string[]>();
  }

  isWatching(sessionId: string, socketId: string): boolean {
    return this.delivery?.isWatching(sessionId, socketId) ?? false;
  }

  async sessionsOfPatient(patientId: string): Promise<string[]> {
    return readSessionIdsOfPatient(this.dataSource, patientId);
  }
}
