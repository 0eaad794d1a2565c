import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each session's latest reading of each kind: the seq of the `vitals.recorded` event that holds
 * it and its rank (`readingRank` of libs/contracts, in epoch milliseconds: when it was measured,
 * capped at when its event was committed). The group commit keeps it in the statement that
 * inserts the events, so a board's `readings: 'latest'` watch reads a session's few latest
 * readings by key instead of every reading since the dose (contract v1.5; docs/BENCHMARKS.md:
 * two hours into 50 sessions at 1 Hz that read was 360,000 rows and about 2 s). Filled here from
 * the events already stored, by the same rule: the highest rank, the later event on a tie.
 */
export class LatestReadings1764190050000 implements MigrationInterface {
  name = 'LatestReadings1764190050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE session_latest_readings (
        session_id uuid NOT NULL REFERENCES sessions (id),
        kind text NOT NULL,
        rank bigint NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (session_id, kind)
      )`);
    await q.query(`
      INSERT INTO session_latest_readings (session_id, kind, rank, seq)
      SELECT DISTINCT ON (e.session_id, r.kind) e.session_id, r.kind, r.rank, e.seq
        FROM session_events e
        CROSS JOIN LATERAL (
          SELECT x->>'kind' AS kind,
                 floor(extract(epoch FROM LEAST((x->>'measuredAt')::timestamptz, e.at)) * 1000)::bigint AS rank
            FROM jsonb_array_elements(e.data->'readings') x) r
       WHERE e.type = 'vitals.recorded'
       ORDER BY e.session_id, r.kind, r.rank DESC, e.seq DESC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE session_latest_readings`);
  }
}
