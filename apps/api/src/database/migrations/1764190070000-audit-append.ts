import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain's append in one statement (issue 15): lock the head, chain the rows, insert
 * them and move the head. The head's lock serialises every commit that audits, and it is held
 * until COMMIT. Before, the group commit took it in the statement that inserted its events, then
 * the API hashed the rows and sent them in a second statement: the lock was held across two round
 * trips and the API's work between them, and at 2,000 submissions a second the other groups'
 * inserts waited on it (29 ms a statement on average, docs/BENCHMARKS.md). Now the lock is taken
 * in the last statement before COMMIT and held for this function and the COMMIT only.
 *
 * The hash rule is the chain's v1, unchanged (audit-hash.ts): sha256 of the previous hash, a
 * newline and the row's canonical JSON. The API builds each row's canonical JSON but for `at` and
 * `seq`, which only this function knows, in three parts around them (`chainBodyParts`, unit-tested
 * to give exactly `canonicalJson`); the verifier still recomputes every hash in the API.
 * Its statements are planned once per connection (`force_generic_plan`, as vigil_append_lock).
 */
export class AuditAppend1764190070000 implements MigrationInterface {
  name = 'AuditAppend1764190070000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION vigil_audit_append(
          p_before_at text[], p_before_seq text[], p_after_seq text[],
          p_actor_id uuid[], p_actor_role text[], p_action text[], p_entity_type text[],
          p_entity_id text[], p_patient_id uuid[], p_outcome text[], p_source_ip text[],
          p_user_agent text[], p_detail jsonb[])
        RETURNS void
        LANGUAGE plpgsql VOLATILE
        SET plan_cache_mode = force_generic_plan
      AS $fn$
      DECLARE
        v_at timestamptz := clock_timestamp();
        v_at_text text := to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
        v_seq bigint;
        v_prev text;
        v_seqs bigint[] := '{}';
        v_prevs text[] := '{}';
        v_hashes text[] := '{}';
      BEGIN
        SELECT seq, hash INTO v_seq, v_prev FROM audit_chain_head FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'audit_chain_head is missing: run the migrations';
        END IF;
        FOR i IN 1 .. coalesce(array_length(p_before_at, 1), 0) LOOP
          v_seq := v_seq + 1;
          v_seqs := v_seqs || v_seq;
          v_prevs := v_prevs || v_prev;
          v_prev := encode(sha256(convert_to(
            v_prev || E'\\n' || p_before_at[i] || '"' || v_at_text || '"' || p_before_seq[i]
              || v_seq::text || p_after_seq[i], 'UTF8')), 'hex');
          v_hashes := v_hashes || v_prev;
        END LOOP;
        INSERT INTO audit_events
          (seq, at, actor_id, actor_role, action, entity_type, entity_id, patient_id, outcome,
           source_ip, user_agent, detail, prev_hash, hash)
        SELECT r.seq, v_at, r.actor_id, r.actor_role, r.action, r.entity_type, r.entity_id,
               r.patient_id, r.outcome, r.source_ip, r.user_agent, r.detail, r.prev_hash, r.hash
          FROM unnest(v_seqs, p_actor_id, p_actor_role, p_action, p_entity_type, p_entity_id,
                      p_patient_id, p_outcome, p_source_ip, p_user_agent, p_detail, v_prevs,
                      v_hashes)
            AS r(seq, actor_id, actor_role, action, entity_type, entity_id, patient_id, outcome,
                 source_ip, user_agent, detail, prev_hash, hash);
        UPDATE audit_chain_head SET seq = v_seq, hash = v_prev, updated_at = now();
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION vigil_audit_append(
      text[], text[], text[], uuid[], text[], text[], text[], text[], uuid[], text[], text[],
      text[], jsonb[])`);
  }
}
