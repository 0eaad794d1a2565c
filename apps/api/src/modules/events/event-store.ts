import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  LIVE_STATES,
  parseSessionEvent,
  type SessionEvent,
  type SessionEventBody,
  type SessionEventType,
  type SessionState,
} from '@vigil/contracts';
import { queryPrepared } from '../../common/prepared-statements';
import { AuditService, auditParamsAwaitingEventSeq, type AuditEntry } from '../audit/audit.service';
import { groupBy } from '../../common/group-by';
import { InFlight } from './in-flight';
import {
  APPEND_GROUP,
  INSERT_EVENTS,
  jsonArrayOf,
  lockAndFind,
  SESSION_STATES,
  type AppendedRow,
} from './events.repository';
import { SessionEventBus } from './session-event-bus';

interface AppendEnvelope {
  sessionId: string;
  actorId: string | null;
  /** Client-generated id: (sessionId, clientId) is unique, so a retry is recognised. */
  clientId: string | null;
  bodyHash: string | null;
  clientTime: Date | null;
  audit: AuditEntry | null;
  /**
   * Only to a live session (LIVE_STATES), judged under the session row's lock: otherwise
   * `not_live` and nothing written (a patient's help, check-in or message after an abort).
   */
  liveOnly?: boolean;
}

/** One event to append: its type and the data of that type (the session log's union). */
export type AppendRequest = AppendEnvelope & SessionEventBody;

/** A unit of work's transaction: its manager, and appending within it. */
export interface EventTransaction {
  manager: EntityManager;
  append(requests: AppendRequest[]): Promise<AppendOutcome[]>;
}

export type AppendOutcome =
  | { status: 'appended'; event: SessionEvent }
  | { status: 'duplicate'; seq: number }
  | { status: 'conflict'; seq: number }
  | { status: 'not_live'; state: SessionState }
  | { status: 'not_found' };

/** A `session_events` row as read: `toSessionEvent` makes it a typed event. */
export interface EventRow {
  session_id: string;
  seq: string;
  type: SessionEventType;
  actor_id: string | null;
  at: Date;
  data: Record<string, unknown>;
}

/**
 * The one place a `session_events` row becomes a typed event: its data is parsed by the schema
 * of its type. Only the typed writers below write rows, so a row that does not parse is a bug:
 * it fails loudly (naming the session, seq and field) rather than reaching clinical code half
 * read. Appended rows pass through here too, so a bad write rolls back instead of being stored.
 */
export function toSessionEvent(row: EventRow): SessionEvent {
  const parsed = parseSessionEvent({
    sessionId: row.session_id,
    seq: Number(row.seq),
    type: row.type,
    at: row.at.toISOString(),
    actorId: row.actor_id,
    data: row.data,
  });
  if (!parsed.ok) throw new Error(`session ${row.session_id}: ${parsed.error}`);
  return parsed.event;
}

/**
 * The only writer of `session_events`. Seq numbers are assigned under the session row's lock
 * (`SELECT ... FOR NO KEY UPDATE`, taken in id order so batches never deadlock) and stored with
 * the new head in the same transaction: two writers never share a seq, a rollback never leaves a
 * gap. Every writer of a session row takes this lock (never plain FOR UPDATE): it excludes the
 * others as FOR UPDATE does, but not the KEY SHARE lock that an insert referencing the session
 * takes (the alert engine's first row for it). FOR UPDATE blocked that insert, and the engine's
 * pass, holding KEY SHARE and then asking for the row itself, deadlocked with group commits
 * (test/session-lock-race.e2e-spec.ts). No writer changes a session's key or deletes it.
 */
@Injectable()
export class EventStore {
  /** Appends from their first statement until they have published, or failed. */
  private readonly appending = new InFlight();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly bus: SessionEventBus,
  ) {}

  /**
   * Appends in one transaction, then publishes what was appended. A group of new submissions
   * (every session there, no client id stored) is one statement; any other, a transaction of
   * several (`unitOfWork`).
   */
  append(
    requests: AppendRequest[],
    alsoInTransaction?: (manager: EntityManager, outcomes: AppendOutcome[]) => Promise<void>,
  ): Promise<AppendOutcome[]> {
    return this.appending.track(this.appendThenPublish(requests, alsoInTransaction));
  }

  /**
   * Append, commit, announce: runs `work` in one transaction, in which the caller locks what it
   * needs, appends through `tx.append` and audits through `tx.manager`; once it commits, every
   * event appended in it is published on the session event bus. A rollback announces nothing.
   */
  unitOfWork<R>(work: (tx: EventTransaction) => Promise<R>): Promise<R> {
    return this.appending.track(this.transactionThenPublish(work));
  }

  /**
   * Resolves once every append in progress now has published (or failed). What a reader saw
   * committed in the database (the head sweep, a session's head) may still be on its way from
   * this instance: under load a committed group waits for the event loop before it publishes,
   * and the head sweep took every watcher of such a session for one that lost the event and
   * refilled it from the database. At twice the pipeline's capacity those reads (7,167 waiting
   * for the pool at once) starved the group commits of connections (issue 15).
   */
  published(): Promise<void> {
    return this.appending.settled();
  }

  /**
   * How long the oldest append in progress has been at it (0 when none is): a database that
   * answers a probe while every write waits (a lock held by a stuck transaction) stores nothing
   * all the same (`DatabaseStatus`).
   */
  oldestAppendForMs(): number {
    return this.appending.oldestForMs();
  }

  private async appendThenPublish(
    requests: AppendRequest[],
    alsoInTransaction?: (manager: EntityManager, outcomes: AppendOutcome[]) => Promise<void>,
  ): Promise<AppendOutcome[]> {
    if (!alsoInTransaction && requests.length > 0) {
      const appended = await this.appendNewInOneStatement(requests);
      if (appended) {
        this.bus.publish(appended);
        return appended.map((event) => ({ status: 'appended', event }));
      }
    }
    // Through unitOfWork, as any other transaction: tracked twice, which settles the same.
    return this.unitOfWork(async ({ manager, append }) => {
      const outcomes = await append(requests);
      if (alsoInTransaction) await alsoInTransaction(manager, outcomes);
      return outcomes;
    });
  }

  private async transactionThenPublish<R>(work: (tx: EventTransaction) => Promise<R>): Promise<R> {
    const appended: SessionEvent[] = [];
    const result = await this.dataSource.transaction((manager) =>
      work({
        manager,
        append: async (requests) => {
          const outcomes = await this.appendWithin(manager, requests);
          appended.push(...appendedEvents(outcomes));
          return outcomes;
        },
      }),
    );
    this.bus.publish(appended);
    return result;
  }

  /**
   * The group commit's common case in one round trip (`vigil_append_group`), committed when it
   * returns: every request appended, in order, or null and nothing written (a session missing, a
   * client id stored already: a retry or a conflict, which the transaction's path tells apart and
   * audits). A client id twice in the group goes to that path at once.
   */
  private async appendNewInOneStatement(requests: AppendRequest[]): Promise<SessionEvent[] | null> {
    const keys = requests.flatMap((r) =>
      r.clientId === null ? [] : [`${r.sessionId}|${r.clientId}`],
    );
    if (new Set(keys).size < keys.length) return null;
    // Each event parsed by its type as it will read back, before it is written: the statement
    // commits as it returns, so a row that would not parse must be refused here, never stored
    // (the transaction's path parses its rows before COMMIT). Seq and time come from the row.
    const texts = requests.map((r) => JSON.stringify(r.data));
    const parsed = requests.map((r, i) =>
      toSessionEvent({
        session_id: r.sessionId,
        seq: '1',
        type: r.type,
        actor_id: r.actorId,
        at: new Date(),
        data: JSON.parse(texts[i]) as Record<string, unknown>,
      }),
    );
    const readings = requests.flatMap((req, index) =>
      req.type === 'vitals.recorded'
        ? readingRows(req.data.readings).map((r) => ({ of: index + 1, ...r }))
        : [],
    );
    const audited = requests.flatMap((req, index) =>
      req.audit ? [{ of: index + 1, entry: req.audit }] : [],
    );
    const audit = auditParamsAwaitingEventSeq(audited.map((a) => a.entry));
    const rows = await queryPrepared<AppendedRow>(this.dataSource.manager, APPEND_GROUP, [
      requests.map((r) => r.sessionId),
      requests.map((r) => r.type),
      requests.map((r) => r.actorId),
      requests.map((r) => r.clientId),
      requests.map((r) => r.bodyHash),
      requests.map((r) => r.clientTime),
      jsonArrayOf(texts),
      readings.map((r) => r.of),
      readings.map((r) => r.kind),
      readings.map((r) => r.at),
      audited.map((a) => a.of),
      ...audit.parts.map((parts) => JSON.stringify(parts)),
      ...audit.columns,
      jsonArrayOf(audit.details),
      requests.map((r) => r.liveOnly === true),
      LIVE_STATES,
    ]);
    if (rows.length === 0) return null;
    // Each session's rows in seq order are its requests in the group's order.
    const bySession = groupBy(rows, (row) => row.session_id);
    for (const list of bySession.values()) list.sort((a, b) => Number(a.seq) - Number(b.seq));
    return requests.map((req, i) => {
      const row = bySession.get(req.sessionId)?.shift();
      if (!row) throw new Error('appended event row missing from vigil_append_group');
      return { ...parsed[i], seq: Number(row.seq), at: row.at.toISOString() };
    });
  }

  private async appendWithin(
    manager: EntityManager,
    requests: AppendRequest[],
  ): Promise<AppendOutcome[]> {
    if (requests.length === 0) return [];
    const { heads, existing } = await lockAndFind(manager, requests);
    const states = await statesOfLiveOnly(manager, requests);
    const auditEntries = requests.flatMap((req, index) =>
      req.audit ? [{ index, entry: req.audit }] : [],
    );
    const outcomes: AppendOutcome[] = [];
    const toInsert: Array<{ req: AppendRequest; seq: number; index: number }> = [];
    for (const [index, req] of requests.entries()) {
      const head = heads.get(req.sessionId);
      if (head === undefined) {
        outcomes.push({ status: 'not_found' });
        continue;
      }
      const key = req.clientId === null ? null : `${req.sessionId}|${req.clientId}`;
      const prior = key === null ? undefined : existing.get(key);
      if (prior) {
        outcomes.push(
          prior.hash === req.bodyHash
            ? { status: 'duplicate', seq: prior.seq }
            : { status: 'conflict', seq: prior.seq },
        );
        continue;
      }
      // A retry of what was stored while the session was live is a duplicate (above), not this.
      const state = states.get(req.sessionId);
      if (req.liveOnly && state !== undefined && !LIVE_STATES.includes(state)) {
        outcomes.push({ status: 'not_live', state });
        continue;
      }
      const seq = head + 1;
      heads.set(req.sessionId, seq);
      if (key !== null) existing.set(key, { seq, hash: req.bodyHash });
      toInsert.push({ req, seq, index });
      outcomes.push({ status: 'not_found' }); // replaced below once the row is written
    }

    if (toInsert.length > 0) {
      const readings = toInsert.flatMap(({ req, seq }) =>
        req.type === 'vitals.recorded'
          ? readingRows(req.data.readings).map((r) => ({ sessionId: req.sessionId, seq, ...r }))
          : [],
      );
      const rows = await queryPrepared<EventRow>(manager, INSERT_EVENTS, [
        toInsert.map((i) => i.req.sessionId),
        toInsert.map((i) => i.seq),
        toInsert.map((i) => i.req.type),
        toInsert.map((i) => i.req.actorId),
        toInsert.map((i) => i.req.clientId),
        toInsert.map((i) => i.req.bodyHash),
        toInsert.map((i) => i.req.clientTime),
        toInsert.map((i) => JSON.stringify(i.req.data)),
        [...heads.keys()],
        [...heads.values()],
        readings.map((r) => r.sessionId),
        readings.map((r) => r.seq),
        readings.map((r) => r.kind),
        readings.map((r) => r.at),
      ]);
      const bySeq = new Map(rows.map((row) => [`${row.session_id}|${row.seq}`, row]));
      for (const item of toInsert) {
        const row = bySeq.get(`${item.req.sessionId}|${item.seq}`);
        if (!row) throw new Error('inserted event row missing from RETURNING');
        outcomes[item.index] = { status: 'appended', event: toSessionEvent(row) };
      }
    }

    // Each entry completed with its request's outcome (the seq, or why nothing was appended).
    const audited = auditEntries.map(({ index, entry }) => withOutcome(entry, outcomes[index]));
    await this.audit.append(audited, manager);
    return outcomes;
  }

  async readAfter(
    sessionId: string,
    after: number,
    limit: number,
    manager?: EntityManager,
  ): Promise<{ events: SessionEvent[]; headSeq: number }> {
    const runner = manager ?? this.dataSource.manager;
    // One statement, one snapshot: the head and the events agree with each other.
    const rows: Array<EventRow & { head_seq: string }> = await runner.query(
      `WITH h AS (SELECT head_seq FROM sessions WHERE id = $1)
       SELECT h.head_seq, e.session_id, e.seq, e.type, e.actor_id, e.at, e.data
         FROM h LEFT JOIN LATERAL (
           SELECT * FROM session_events
            WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3) e ON true
        ORDER BY e.seq`,
      [sessionId, after, limit],
    );
    const head = rows.length > 0 ? Number(rows[0].head_seq) : 0;
    const events = rows.filter((r) => r.seq !== null).map(toSessionEvent);
    return { events, headSeq: head };
  }
}

/** A vitals event's readings as the latest-reading upsert takes them: kind, measured time in ms. */
function readingRows(readings: ReadonlyArray<{ kind: string; measuredAt: string }>) {
  return readings
    .map((r) => ({ kind: r.kind, at: Date.parse(r.measuredAt) }))
    .filter((r) => Number.isFinite(r.at));
}

/** The states of the live-only requests' sessions, locked by this transaction already. */
async function statesOfLiveOnly(
  manager: EntityManager,
  requests: AppendRequest[],
): Promise<Map<string, SessionState>> {
  const ids = [...new Set(requests.filter((r) => r.liveOnly).map((r) => r.sessionId))];
  if (ids.length === 0) return new Map();
  const rows = await queryPrepared<{ id: string; state: SessionState }>(manager, SESSION_STATES, [
    ids,
  ]);
  return new Map(rows.map((row) => [row.id, row.state]));
}

export function appendedEvents(outcomes: AppendOutcome[]): SessionEvent[] {
  return outcomes.flatMap((o) => (o.status === 'appended' ? [o.event] : []));
}

function withOutcome(entry: AuditEntry, outcome: AppendOutcome | undefined): AuditEntry {
  if (!outcome || outcome.status === 'appended') {
    return {
      ...entry,
      detail: { ...entry.detail, seq: outcome?.status === 'appended' ? outcome.event.seq : null },
    };
  }
  return {
    ...entry,
    outcome:
      outcome.status === 'not_found' || outcome.status === 'not_live' ? 'denied' : entry.outcome,
    detail: {
      ...entry.detail,
      result: outcome.status,
      seq: 'seq' in outcome ? outcome.seq : null,
      ...(outcome.status === 'not_live' ? { state: outcome.state } : {}),
    },
  };
}
