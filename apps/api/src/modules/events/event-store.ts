import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  parseSessionEvent,
  type SessionEvent,
  type SessionEventBody,
  type SessionEventType,
} from '@vigil/contracts';
import { NOW_TEXT_SQL } from '../audit/audit-hash';
import { chainedInsert, type AuditEntry } from '../audit/audit.service';
import { SessionEventBus } from './session-event-bus';

interface AppendEnvelope {
  sessionId: string;
  actorId: string | null;
  /** Client-generated id: (sessionId, clientId) is unique, so a retry is recognised. */
  clientId: string | null;
  bodyHash: string | null;
  clientTime: Date | null;
  audit: AuditEntry | null;
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
  | { status: 'not_found' };

/** What the group's first statement returns: a row per session and clientId found, and the chain. */
interface LockedRow {
  id: string | null;
  head_seq: string | null;
  seen_seq: string | null;
  client_id: string | null;
  seq: string | null;
  body_hash: string | null;
  chain_seq: string | null;
  chain_hash: string | null;
  chain_now: string | null;
}

/** An outcome decided before the insert: `insert` becomes `appended` once the row is written. */
type PlannedOutcome =
  { status: 'insert'; seq: number } | Exclude<AppendOutcome, { status: 'appended' }>;

interface EventRow {
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
 * (`SELECT ... FOR UPDATE`, taken in id order so batches never deadlock) and stored with the
 * new head in the same transaction: two writers never share a seq, a rollback never leaves a gap.
 */
@Injectable()
export class EventStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: SessionEventBus,
  ) {}

  /** Appends in one transaction, then publishes what was appended. */
  async append(
    requests: AppendRequest[],
    alsoInTransaction?: (manager: EntityManager, outcomes: AppendOutcome[]) => Promise<void>,
  ): Promise<AppendOutcome[]> {
    return this.unitOfWork(async ({ manager, append }) => {
      const outcomes = await append(requests);
      if (alsoInTransaction) await alsoInTransaction(manager, outcomes);
      return outcomes;
    });
  }

  /**
   * Append, commit, announce: runs `work` in one transaction, in which the caller locks what it
   * needs, appends through `tx.append` and audits through `tx.manager`; once it commits, every
   * event appended in it is published on the session event bus. A rollback announces nothing.
   */
  async unitOfWork<R>(work: (tx: EventTransaction) => Promise<R>): Promise<R> {
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
   * Two statements a group (issue 15; it was five, seven with BEGIN and COMMIT): the first locks
   * the sessions (in id order), looks up the group's clientIds and then locks the audit chain
   * head; the second inserts the events, moves the session heads, inserts the audit rows and
   * moves the chain head. Seq, dedupe and the audit rows' content are all decided in between,
   * from what the first returned.
   */
  private async appendWithin(
    manager: EntityManager,
    requests: AppendRequest[],
  ): Promise<AppendOutcome[]> {
    if (requests.length === 0) return [];
    const sessionIds = [...new Set(requests.map((r) => r.sessionId))].sort();
    const keyed = requests.filter((r) => r.clientId !== null);
    const audited = requests.some((r) => r.audit !== null);
    const rows: LockedRow[] = await manager.query(
      `WITH locked AS (
         SELECT id, head_seq FROM sessions WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE),
       found AS (
         SELECT l.id, l.head_seq, s.head_seq AS seen_seq, e.client_id, e.seq, e.body_hash
           FROM locked l
           JOIN sessions s ON s.id = l.id
           LEFT JOIN (unnest($2::uuid[], $3::text[]) AS k(session_id, client_id)
                      JOIN session_events e
                        ON e.session_id = k.session_id AND e.client_id = k.client_id)
             ON k.session_id = l.id),
       chain AS (
         -- The guard reads every session lock first: the chain head is this statement's last lock.
         SELECT seq, hash, ${NOW_TEXT_SQL} AS now FROM audit_chain_head
          WHERE $4::boolean AND (SELECT count(*) FROM found) >= 0 FOR UPDATE)
       SELECT f.id, f.head_seq, f.seen_seq, f.client_id, f.seq, f.body_hash,
              c.seq AS chain_seq, c.hash AS chain_hash, c.now AS chain_now
         FROM (SELECT 1) AS one LEFT JOIN found f ON true LEFT JOIN chain c ON true`,
      [sessionIds, keyed.map((r) => r.sessionId), keyed.map((r) => r.clientId), audited],
    );
    const heads = new Map<string, number>();
    const existing = new Map<string, { seq: number; hash: string | null }>();
    let stale = false;
    for (const row of rows) {
      if (row.id === null) continue;
      heads.set(row.id, Number(row.head_seq));
      // A writer that committed while we waited for a session's lock is not in this statement's
      // snapshot (its events neither), but its head is in the locked row: look up again.
      if (row.head_seq !== row.seen_seq) stale = true;
      if (row.client_id !== null)
        existing.set(`${row.id}|${row.client_id}`, { seq: Number(row.seq), hash: row.body_hash });
    }
    if (stale && keyed.length > 0) {
      existing.clear();
      const again: Array<{
        session_id: string;
        client_id: string;
        seq: string;
        body_hash: string | null;
      }> = await manager.query(
        `SELECT e.session_id, e.client_id, e.seq, e.body_hash
             FROM session_events e
             JOIN unnest($1::uuid[], $2::text[]) AS k(session_id, client_id)
               ON e.session_id = k.session_id AND e.client_id = k.client_id`,
        [keyed.map((r) => r.sessionId), keyed.map((r) => r.clientId)],
      );
      for (const row of again)
        existing.set(`${row.session_id}|${row.client_id}`, {
          seq: Number(row.seq),
          hash: row.body_hash,
        });
    }
    const chain = rows[0];
    if (audited && chain?.chain_seq == null)
      throw new Error('audit_chain_head is missing: run the migrations');

    const planned: PlannedOutcome[] = [];
    const toInsert: Array<{ req: AppendRequest; seq: number; index: number }> = [];
    for (const [index, req] of requests.entries()) {
      const head = heads.get(req.sessionId);
      if (head === undefined) {
        planned.push({ status: 'not_found' });
        continue;
      }
      const key = req.clientId === null ? null : `${req.sessionId}|${req.clientId}`;
      const prior = key === null ? undefined : existing.get(key);
      if (prior) {
        planned.push(
          prior.hash === req.bodyHash
            ? { status: 'duplicate', seq: prior.seq }
            : { status: 'conflict', seq: prior.seq },
        );
        continue;
      }
      const seq = head + 1;
      heads.set(req.sessionId, seq);
      if (key !== null) existing.set(key, { seq, hash: req.bodyHash });
      toInsert.push({ req, seq, index });
      planned.push({ status: 'insert', seq });
    }

    const auditEntries = requests
      .map((req, i) => (req.audit ? withOutcome(req.audit, planned[i]) : null))
      .filter((e): e is AuditEntry => e !== null);
    const FIRST_AUDIT_PARAM = 11;
    const audit =
      auditEntries.length > 0
        ? chainedInsert(
            { seq: chain.chain_seq!, hash: chain.chain_hash!, now: chain.chain_now! },
            auditEntries,
            toInsert.length > 0 ? FIRST_AUDIT_PARAM : 1,
          )
        : null;

    const outcomes = planned.map((p): AppendOutcome =>
      p.status === 'insert' ? { status: 'not_found' } : p,
    );
    if (toInsert.length > 0) {
      // The rows, the new heads and the audit rows in one statement; the session rows and the
      // chain head are ours since the locks above, so the heads move with the rows they count.
      const inserted: EventRow[] = await manager.query(
        `WITH ins AS (
           INSERT INTO session_events (session_id, seq, type, actor_id, client_id, body_hash, client_time, at, data)
           SELECT k.session_id, k.seq, k.type, k.actor_id, k.client_id, k.body_hash, k.client_time, clock_timestamp(), k.data
             FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                         $7::timestamptz[], $8::jsonb[])
               AS k(session_id, seq, type, actor_id, client_id, body_hash, client_time, data)
           RETURNING session_id, seq, type, actor_id, at, data),
         head AS (
           UPDATE sessions s SET head_seq = k.head, updated_at = now()
             FROM unnest($9::uuid[], $10::bigint[]) AS k(id, head) WHERE s.id = k.id)
         ${audit ? `, ${audit.ctes}` : ''}
         SELECT * FROM ins`,
        [
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
          ...(audit?.params ?? []),
        ],
      );
      const bySeq = new Map(inserted.map((row) => [`${row.session_id}|${row.seq}`, row]));
      for (const item of toInsert) {
        const row = bySeq.get(`${item.req.sessionId}|${item.seq}`);
        if (!row) throw new Error('inserted event row missing from RETURNING');
        outcomes[item.index] = { status: 'appended', event: toSessionEvent(row) };
      }
    } else if (audit) {
      await manager.query(`WITH ${audit.ctes} SELECT 1`, audit.params);
    }
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

/**
 * `readAfter` for many sessions in one statement (one snapshot): each session's head and up to
 * `limit` events after its own `after`. A session that does not exist reads as head 0, no events.
 */
export async function readAfterMany(
  manager: Pick<EntityManager, 'query'>,
  reads: ReadonlyArray<{ sessionId: string; after: number }>,
  limit: number,
): Promise<Map<string, { events: SessionEvent[]; headSeq: number }>> {
  const rows: Array<EventRow & { watched_id: string; head_seq: string }> = await manager.query(
    `SELECT w.id AS watched_id, s.head_seq, e.session_id, e.seq, e.type, e.actor_id, e.at, e.data
       FROM unnest($1::uuid[], $2::bigint[]) AS w(id, after)
       JOIN sessions s ON s.id = w.id
       LEFT JOIN LATERAL (
         SELECT * FROM session_events
          WHERE session_id = w.id AND seq > w.after ORDER BY seq LIMIT $3) e ON true
      ORDER BY w.id, e.seq`,
    [reads.map((r) => r.sessionId), reads.map((r) => r.after), limit],
  );
  const read = new Map<string, { events: SessionEvent[]; headSeq: number }>();
  for (const row of rows) {
    let one = read.get(row.watched_id);
    if (!one) {
      one = { events: [], headSeq: Number(row.head_seq) };
      read.set(row.watched_id, one);
    }
    if (row.seq !== null) one.events.push(toSessionEvent(row));
  }
  return read;
}

/** A session's whole log, in seq order (reports and exports; the caller checked access). */
export async function readAllEvents(
  manager: EntityManager,
  sessionId: string,
): Promise<SessionEvent[]> {
  const rows: EventRow[] = await manager.query(
    `SELECT session_id, seq, type, actor_id, at, data FROM session_events
      WHERE session_id = $1 ORDER BY seq`,
    [sessionId],
  );
  return rows.map(toSessionEvent);
}

export function appendedEvents(outcomes: AppendOutcome[]): SessionEvent[] {
  return outcomes.flatMap((o) => (o.status === 'appended' ? [o.event] : []));
}

function withOutcome(entry: AuditEntry, outcome: PlannedOutcome): AuditEntry {
  if (outcome.status === 'insert') {
    return { ...entry, detail: { ...entry.detail, seq: outcome.seq } };
  }
  return {
    ...entry,
    outcome: outcome.status === 'not_found' ? 'denied' : entry.outcome,
    detail: { ...entry.detail, result: outcome.status, seq: 'seq' in outcome ? outcome.seq : null },
  };
}
