import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The group commit's first round trip (issue 15): lock the group's session rows and find which
 * of its client ids are stored already, in one call instead of two statements. They cannot be one
 * statement: a statement reads with the snapshot it took before waiting for the locks, so it
 * would miss a clientId that the group it waited for had just committed. In a VOLATILE function
 * each statement takes a new snapshot, so the lookup sees everything committed before the locks
 * were granted, as the second statement did.
 *
 * `plan_cache_mode = force_generic_plan`: both statements are planned once per connection. As a
 * prepared statement the lookup was planned again on every call (PostgreSQL judged the generic
 * plan dearer than a custom one for a short key list): 105 of its 140 µs per group at 500
 * patients x 1 Hz (docs/BENCHMARKS.md). The lookup keeps the LATERAL ... LIMIT 1 shape whose
 * generic plan reads the (session_id, client_id) index however empty the log was when it was
 * planned (test/event-reads-plan.e2e-spec.ts).
 */
export class AppendLock1764190060000 implements MigrationInterface {
  name = 'AppendLock1764190060000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION vigil_append_lock(p_sessions uuid[], p_key_sessions uuid[], p_key_clients text[])
        RETURNS TABLE (session_id uuid, head_seq bigint, client_id text, seq bigint, body_hash text)
        LANGUAGE plpgsql VOLATILE
        SET plan_cache_mode = force_generic_plan
      AS $fn$
      BEGIN
        -- In id order, so two groups never deadlock; NO KEY UPDATE, as every writer of a session.
        RETURN QUERY
          SELECT s.id, s.head_seq, NULL::text, NULL::bigint, NULL::text
            FROM sessions s WHERE s.id = ANY (p_sessions) ORDER BY s.id FOR NO KEY UPDATE;
        RETURN QUERY
          SELECT k.sid, NULL::bigint, k.cid, e.seq, e.body_hash
            FROM unnest(p_key_sessions, p_key_clients) AS k(sid, cid)
            CROSS JOIN LATERAL (
              SELECT ev.seq, ev.body_hash FROM session_events ev
               WHERE ev.session_id = k.sid AND ev.client_id = k.cid LIMIT 1) e;
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION vigil_append_lock(uuid[], uuid[], text[])`);
  }
}
