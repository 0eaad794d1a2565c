import type { EntityManager } from 'typeorm';
import {
  latestReadingsKept,
  type LoggedReadings,
  type ReadingKind,
  type SessionEvent,
  type WatchReadings,
} from '@vigil/contracts';
import { groupBy } from '../../common/group-by';
import { toSessionEvent, type EventRow } from './event-store';

/**
 * The read side of the session log: every query of `session_events` outside `EventStore` lives
 * here (issue 14), so the table has one owner. Each takes the caller's manager, so a read can
 * share the caller's transaction (and its locks and audit row).
 */

/** An event as the alert engine folds it: its data not yet parsed (the engine reads what it needs). */
export interface RawEvent {
  seq: number;
  type: string;
  /** The account that sent it: whose clock dated a phone's or browser's readings. */
  actorId: string | null;
  data: Record<string, unknown>;
}

/**
 * Every event after each session's given seq, in seq order, grouped by session. Per session
 * (LATERAL), so each is a range of the primary key: as a plain join PostgreSQL guesses that a
 * third of a session's events lie after `after` (it cannot see the value when it plans), and
 * chose a hash join over a sequential scan of the whole table on every alert-engine pass, a cost
 * that grew with every event stored (docs/BENCHMARKS.md, 2026-12-04).
 */
export async function readEventsAfterMany(
  manager: EntityManager,
  after: Map<string, number>,
): Promise<Map<string, RawEvent[]>> {
  const rows: Array<{
    session_id: string;
    seq: string;
    type: string;
    actor_id: string | null;
    data: Record<string, unknown>;
  }> = await manager.query(
    `SELECT e.session_id, e.seq, e.type, e.actor_id, e.data
       FROM unnest($1::uuid[], $2::bigint[]) AS k(id, after)
       CROSS JOIN LATERAL (
         SELECT session_id, seq, type, actor_id, data FROM session_events
          WHERE session_id = k.id AND seq > k.after ORDER BY seq) e
      ORDER BY e.session_id, e.seq`,
    [[...after.keys()], [...after.values()]],
  );
  return groupBy(
    rows,
    (r) => r.session_id,
    (r): RawEvent => ({ seq: Number(r.seq), type: r.type, actorId: r.actor_id, data: r.data }),
  );
}

/** The event a submission's `clientId` already produced in this session, if any (retries). */
export async function findEventByClientId(
  manager: EntityManager,
  sessionId: string,
  clientId: string,
): Promise<{ seq: number; bodyHash: string | null; data: Record<string, unknown> } | null> {
  const rows: Array<{ seq: string; body_hash: string | null; data: Record<string, unknown> }> =
    await manager.query(
      `SELECT seq, body_hash, data FROM session_events WHERE session_id = $1 AND client_id = $2`,
      [sessionId, clientId],
    );
  const row = rows[0];
  return row ? { seq: Number(row.seq), bodyHash: row.body_hash, data: row.data } : null;
}

/** A systolic or diastolic reading as stored, with the commit of the event that brought it. */
export interface StoredBpReading {
  kind: 'bp_systolic' | 'bp_diastolic';
  value: number;
  measuredAt: string;
  /** v1.14: how long it waited on the phone, when its submission carried `sentAt`. */
  waitedMs?: number;
  committedAt: string;
}

/**
 * The session's systolic and diastolic readings in log order, each with its wait and its event's
 * commit: a BP's time by the server's clock needs both (`readingMadeAt`), not the phone's
 * measuredAt alone. A few dozen a session: BP is measured, not streamed.
 */
export async function readBpReadings(
  manager: EntityManager,
  sessionId: string,
): Promise<StoredBpReading[]> {
  const rows: Array<{
    kind: StoredBpReading['kind'];
    value: number;
    measured_at: string;
    waited_ms: number | null;
    at: Date;
  }> = await manager.query(
    `SELECT r->>'kind' AS kind, (r->>'value')::float8 AS value, r->>'measuredAt' AS measured_at,
            CASE WHEN jsonb_typeof(r->'waitedMs') = 'number' THEN (r->>'waitedMs')::float8 END
              AS waited_ms,
            e.at
       FROM session_events e CROSS JOIN LATERAL jsonb_array_elements(e.data->'readings') r
      WHERE e.session_id = $1 AND e.type = 'vitals.recorded'
        AND r->>'kind' IN ('bp_systolic', 'bp_diastolic')
      ORDER BY e.seq`,
    [sessionId],
  );
  return rows.map((r) => ({
    kind: r.kind,
    value: r.value,
    measuredAt: r.measured_at,
    ...(r.waited_ms === null ? {} : { waitedMs: r.waited_ms }),
    committedAt: r.at.toISOString(),
  }));
}

/**
 * The latest value of one kind of reading, or null: from the event `session_latest_readings`
 * names for it (kept by the group commit), the latest-measured reading of that kind in it.
 */
export async function readLatestValue(
  manager: EntityManager,
  sessionId: string,
  kind: ReadingKind,
): Promise<number | null> {
  const rows: Array<{ value: number }> = await manager.query(
    `SELECT (r->>'value')::float8 AS value
       FROM session_latest_readings l
       JOIN session_events e ON e.session_id = l.session_id AND e.seq = l.seq
       CROSS JOIN LATERAL jsonb_array_elements(e.data->'readings') r
      WHERE l.session_id = $1 AND l.kind = $2 AND r->>'kind' = $2
      ORDER BY (r->>'measuredAt')::timestamptz DESC LIMIT 1`,
    [sessionId, kind],
  );
  return rows[0]?.value ?? null;
}

/** The latest MOAA/S and dissociation score checked in after `afterSeq` (each may be absent). */
export async function readLatestCheckInScores(
  manager: EntityManager,
  sessionId: string,
  afterSeq: number,
): Promise<{ moaas: number | null; dissociation: number | null }> {
  const rows: Array<{ moaas: number | null; dissociation: number | null }> = await manager.query(
    `SELECT (SELECT (data->>'moaas')::int FROM session_events
              WHERE session_id = $1 AND seq > $2 AND type = 'checkin.recorded' AND data ? 'moaas'
              ORDER BY seq DESC LIMIT 1) AS moaas,
            (SELECT (data->>'dissociation')::int FROM session_events
              WHERE session_id = $1 AND seq > $2 AND type = 'checkin.recorded' AND data ? 'dissociation'
              ORDER BY seq DESC LIMIT 1) AS dissociation`,
    [sessionId, afterSeq],
  );
  return { moaas: rows[0]?.moaas ?? null, dissociation: rows[0]?.dissociation ?? null };
}

/** The support person (name, phone) attested at the session's latest screening that gave a phone. */
export async function readScreenedSupportPerson(
  manager: EntityManager,
  sessionId: string,
): Promise<{ name: string | null; phone: string | null } | null> {
  const rows: Array<{ name: string | null; phone: string | null }> = await manager.query(
    `SELECT data -> 'supportPerson' ->> 'name' AS name, data -> 'supportPerson' ->> 'phone' AS phone
       FROM session_events
      WHERE session_id = $1 AND type = 'screening.submitted'
        AND data -> 'supportPerson' ->> 'phone' IS NOT NULL
      ORDER BY seq DESC LIMIT 1`,
    [sessionId],
  );
  return rows[0] ?? null;
}

/** What `readAfterMany` read of one session: `upToSeq` is the last seq read, sent or not. */
export interface ReadAfter {
  events: SessionEvent[];
  headSeq: number;
  upToSeq: number | null;
}

/**
 * `readAfter` for many sessions in one statement (one snapshot): each session's head and up to
 * `limit` events after its own `after`. A session that does not exist reads as head 0, no events.
 * A read with `readings: 'latest'` (a board's watch, contract v1.5) keeps, of the readings, only
 * those still the latest of their kind: the database returns only the readings that
 * `session_latest_readings` names (kept by the group commit, so hours of 1 Hz readings are
 * neither read out nor parsed), and `latestReadingsKept` cuts what it returns by the same rule,
 * so what is sent is exactly that rule's answer over the whole log. Such a read covers the log up
 * to the head when it returns fewer than `limit` rows.
 */
export async function readAfterMany(
  manager: Pick<EntityManager, 'query'>,
  reads: ReadonlyArray<{ sessionId: string; after: number; readings?: WatchReadings }>,
  limit: number,
): Promise<Map<string, ReadAfter>> {
  const rows: Array<EventRow & { watched_id: string; head_seq: string }> = await manager.query(
    `SELECT w.id AS watched_id, s.head_seq, e.session_id, e.seq, e.type, e.actor_id, e.at, e.data
       FROM unnest($1::uuid[], $2::bigint[], $4::boolean[]) AS w(id, after, latest)
       JOIN sessions s ON s.id = w.id
       LEFT JOIN LATERAL (
         SELECT * FROM session_events v
          WHERE v.session_id = w.id AND v.seq > w.after
            AND (NOT w.latest OR v.type <> 'vitals.recorded'
                 OR v.seq IN (SELECT l.seq FROM session_latest_readings l WHERE l.session_id = w.id))
          ORDER BY v.seq LIMIT $3) e ON true
      ORDER BY w.id, e.seq`,
    [
      reads.map((r) => r.sessionId),
      reads.map((r) => r.after),
      limit,
      reads.map((r) => r.readings === 'latest'),
    ],
  );
  const latestOnly = new Set(reads.filter((r) => r.readings === 'latest').map((r) => r.sessionId));
  const read = new Map<string, ReadAfter>();
  for (const [sessionId, all] of groupBy(rows, (r) => r.watched_id)) {
    const found = all.filter((r) => r.seq !== null);
    const headSeq = Number(all[0].head_seq);
    const latest = latestOnly.has(sessionId);
    const kept = latest ? latestReadingsKept(found.map(loggedReadings)) : null;
    const lastFound = found.length > 0 ? Number(found[found.length - 1].seq) : null;
    read.set(sessionId, {
      events: found.filter((r) => kept?.has(Number(r.seq)) ?? true).map(toSessionEvent),
      headSeq,
      // Rows the filter passed over were read too: short of the limit, the read reached the head.
      upToSeq: latest && found.length < limit ? headSeq : lastFound,
    });
  }
  return read;
}

/** A raw row's readings as the cut reads them (a row's data is the typed writers'). */
function loggedReadings(row: EventRow): LoggedReadings {
  const readings = row.type === 'vitals.recorded' ? row.data.readings : null;
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    readings: Array.isArray(readings) ? (readings as LoggedReadings['readings']) : null,
  };
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
