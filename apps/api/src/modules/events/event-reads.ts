import type { EntityManager } from 'typeorm';
import { groupBy } from '../../common/group-by';

/**
 * The read side of the session log: every query of `session_events` outside `EventStore` lives
 * here (issue 14), so the table has one owner. Each takes the caller's manager, so a read can
 * share the caller's transaction (and its locks and audit row).
 */

/** An event as the alert engine folds it: its data not yet parsed (the engine reads what it needs). */
export interface RawEvent {
  seq: number;
  type: string;
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
    data: Record<string, unknown>;
  }> = await manager.query(
    `SELECT e.session_id, e.seq, e.type, e.data
       FROM unnest($1::uuid[], $2::bigint[]) AS k(id, after)
       CROSS JOIN LATERAL (
         SELECT session_id, seq, type, data FROM session_events
          WHERE session_id = k.id AND seq > k.after ORDER BY seq) e
      ORDER BY e.session_id, e.seq`,
    [[...after.keys()], [...after.values()]],
  );
  return groupBy(
    rows,
    (r) => r.session_id,
    (r): RawEvent => ({ seq: Number(r.seq), type: r.type, data: r.data }),
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

/** A blood pressure: a systolic and a diastolic reading measured at the same instant. */
export interface RecordedBp {
  at: Date;
  sbp: number;
  dbp: number;
}

/** The session's two most recent complete blood pressures, newest first. */
export async function readLatestBps(
  manager: EntityManager,
  sessionId: string,
): Promise<RecordedBp[]> {
  return manager.query(
    `SELECT (r->>'measuredAt')::timestamptz AS at,
            max((r->>'value')::float8) FILTER (WHERE r->>'kind' = 'bp_systolic') AS sbp,
            max((r->>'value')::float8) FILTER (WHERE r->>'kind' = 'bp_diastolic') AS dbp
       FROM session_events e CROSS JOIN LATERAL jsonb_array_elements(e.data->'readings') r
      WHERE e.session_id = $1 AND e.type = 'vitals.recorded'
        AND r->>'kind' IN ('bp_systolic', 'bp_diastolic')
      GROUP BY 1
     HAVING count(*) FILTER (WHERE r->>'kind' = 'bp_systolic') > 0
        AND count(*) FILTER (WHERE r->>'kind' = 'bp_diastolic') > 0
      ORDER BY 1 DESC LIMIT 2`,
    [sessionId],
  );
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
