import type { EntityManager } from 'typeorm';
import { prepared, queryPrepared } from '../../common/prepared-statements';

/**
 * Hot-path statements of the group commit, parsed once per connection
 * (common/prepared-statements.ts). A group of new submissions is one round trip, APPEND_GROUP
 * (below), outside an explicit transaction. Any other group, and an append within a caller's
 * unit of work, is five: BEGIN, LOCK_AND_FIND, INSERT_EVENTS, the audit rows
 * (`AuditService.append`: it locks the audit chain's head, which every commit that audits waits
 * for, so it is the last statement before COMMIT), COMMIT.
 */
// The group's session rows locked in id order (two groups never deadlock) and their heads, then,
// in a statement of its own so that it sees what committed while the locks were awaited, the
// client ids already stored: one function (migration 1764190060000), one round trip. The function
// looks each key up on its own (LATERAL, LIMIT 1: not flattened into a join) with a plan made
// once per connection, so the plan is the (session_id, client_id) unique index whatever the
// planner knew when it made it. As a plain join, the generic plan was a hash join over a
// sequential scan if the log was nearly empty then (a new install, a bench), and it stayed until
// the next ANALYZE: 0.8 ms a group at 14,000 events, growing with the log (docs/BENCHMARKS.md).
// test/event-reads-plan.e2e-spec.ts checks the function keeps it.
const LOCK_AND_FIND = prepared(
  'vigil_append_lock',
  `SELECT session_id, head_seq, client_id, seq, body_hash
     FROM vigil_append_lock($1::uuid[], $2::uuid[], $3::text[])`,
);

// The rows, the new heads and each session's latest reading of each kind in one statement; the
// session rows are ours since LOCK_AND_FIND, so the head moves with the rows it counts. A
// reading's rank is `readingRank` (libs/contracts): its measured time (from the caller, in ms)
// capped at the row's commit time, known only here; the highest rank takes a kind, a later event
// on a tie (its seq is higher), as `latestReadingsKept` decides on a read.
export const INSERT_EVENTS = prepared(
  'vigil_append_insert_events',
  `WITH ins AS (
           INSERT INTO session_events (session_id, seq, type, actor_id, client_id, body_hash, client_time, at, data)
           SELECT k.session_id, k.seq, k.type, k.actor_id, k.client_id, k.body_hash, k.client_time, clock_timestamp(), k.data
             FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                         $7::timestamptz[], $8::jsonb[])
               AS k(session_id, seq, type, actor_id, client_id, body_hash, client_time, data)
           RETURNING session_id, seq, type, actor_id, at, data),
         head AS (
           UPDATE sessions s SET head_seq = k.head, updated_at = now()
             FROM unnest($9::uuid[], $10::bigint[]) AS k(id, head) WHERE s.id = k.id),
         latest AS (
           INSERT INTO session_latest_readings AS l (session_id, kind, rank, seq)
           SELECT DISTINCT ON (r.session_id, r.kind) r.session_id, r.kind,
                  LEAST(r.measured, floor(extract(epoch FROM ins.at) * 1000)::bigint), r.seq
             FROM unnest($11::uuid[], $12::bigint[], $13::text[], $14::bigint[])
               AS r(session_id, seq, kind, measured)
             JOIN ins ON ins.session_id = r.session_id AND ins.seq = r.seq
            ORDER BY r.session_id, r.kind,
                     LEAST(r.measured, floor(extract(epoch FROM ins.at) * 1000)::bigint) DESC, r.seq DESC
           ON CONFLICT (session_id, kind) DO UPDATE SET rank = excluded.rank, seq = excluded.seq
              WHERE excluded.rank >= l.rank)
   SELECT * FROM ins`,
);

// A group of new submissions in one statement, outside an explicit transaction (migrations
// 1764190080000 and 1764190110000): no row when a session is missing, a client id is stored
// already, or a request that may only go to a live session finds it not live, and then nothing
// is written. Only what the API does not know already comes back (the event's seq and
// time). The long texts (each event's data, the audit rows' canonical JSON in parts and their
// details) go as one JSON array each, unpacked here in order: as `text[]` or `jsonb[]`, pg
// escapes every quote of every element into an array literal character by character, 5 % of the
// API's CPU at 2,000 submissions a second; JSON.stringify and a join are native (issue 15).
const jsonbItems = (n: number) =>
  `ARRAY(SELECT e FROM jsonb_array_elements($${n}::jsonb) WITH ORDINALITY AS a(e, i) ORDER BY i)`;
const textItems = (n: number) =>
  `ARRAY(SELECT e FROM json_array_elements_text($${n}::json) WITH ORDINALITY AS a(e, i) ORDER BY i)`;
export const APPEND_GROUP = prepared(
  'vigil_append_group',
  `SELECT session_id, seq, at
     FROM vigil_append_group_live($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[],
       $6::timestamptz[], ${jsonbItems(7)}, $8::int[], $9::text[], $10::bigint[], $11::int[],
       ${textItems(12)}, ${textItems(13)}, ${textItems(14)}, ${textItems(15)}, $16::uuid[],
       $17::text[], $18::text[], $19::text[], $20::text[], $21::uuid[], $22::text[], $23::text[],
       $24::text[], ${jsonbItems(25)}, $26::boolean[], $27::text[])`,
);

// The states of sessions whose rows this transaction has locked (LOCK_AND_FIND): read in a
// statement of their own, so a state committed while the locks were awaited is seen.
export const SESSION_STATES = prepared(
  'vigil_append_session_states',
  `SELECT id, state FROM sessions WHERE id = ANY ($1::uuid[])`,
);

/** What `vigil_append_group` gives back of each event: what only the database knew. */
export interface AppendedRow {
  session_id: string;
  seq: string;
  at: Date;
}

/** JSON texts as one JSON array (each is valid JSON already: joined, not escaped again). */
export const jsonArrayOf = (texts: string[]) => `[${texts.join(',')}]`;

/** Stored events by `${sessionId}|${clientId}`: their seq and body hash. */
type StoredClientIds = Map<string, { seq: number; hash: string | null }>;

/**
 * Locks the requests' session rows (LOCK_AND_FIND) and returns their heads and which of the
 * requests' client ids are stored already. A session that does not exist has no head.
 */
export async function lockAndFind(
  manager: EntityManager,
  requests: ReadonlyArray<{ sessionId: string; clientId: string | null }>,
): Promise<{ heads: Map<string, number>; existing: StoredClientIds }> {
  const keyed = requests.filter((r) => r.clientId !== null);
  const rows = await queryPrepared<{
    session_id: string;
    head_seq: string | null;
    client_id: string | null;
    seq: string | null;
    body_hash: string | null;
  }>(manager, LOCK_AND_FIND, [
    [...new Set(requests.map((r) => r.sessionId))].sort(),
    keyed.map((r) => r.sessionId),
    keyed.map((r) => r.clientId),
  ]);
  const heads = new Map<string, number>();
  const existing: StoredClientIds = new Map();
  for (const row of rows) {
    if (row.client_id === null) heads.set(row.session_id, Number(row.head_seq));
    else
      existing.set(`${row.session_id}|${row.client_id}`, {
        seq: Number(row.seq),
        hash: row.body_hash,
      });
  }
  return { heads, existing };
}
