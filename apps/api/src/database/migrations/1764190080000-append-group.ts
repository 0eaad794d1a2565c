import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APPEND_GROUP_SIGNATURE } from './frozen/append-group-signature';

/**
 * A group of new submissions appended in one statement, run outside an explicit transaction
 * (issue 15: "one round trip per group commit"). It locks the group's session rows in id order,
 * assigns each event `head + 1` in the group's order, inserts the events, moves the heads, keeps
 * each session's latest reading of each kind, and appends the audit rows last through
 * `vigil_audit_append`, whose head lock is then held for the rest of this statement and its
 * commit only. The group commit was five round trips (BEGIN, the lock and client-id lookup, the
 * insert, the audit rows, COMMIT), and the audit chain's head lock, which serialises every commit
 * that audits, stayed held from the audit statement across the API's event loop until its COMMIT
 * arrived: at 2,000 submissions a second that loop is busy, and each group waited for the one
 * before to be given its turn (docs/BENCHMARKS.md).
 *
 * Only the common case is decided here: every session exists and no client id is stored yet.
 * Otherwise it writes nothing and returns no row, and the API appends the group in a transaction
 * of several statements (EventStore), which tells a retry from a conflict and audits a refusal.
 * The audit detail of an appended event carries its seq, which only this function knows: the
 * API sends each row's canonical JSON in four parts around `at`, the event's seq and the audit
 * seq, and the detail with its `seq` set here (`jsonb_set`). The hash rule is v1, unchanged.
 */
export class AppendGroup1764190080000 implements MigrationInterface {
  name = 'AppendGroup1764190080000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION vigil_append_group(
          ${APPEND_GROUP_SIGNATURE.params})
        ${APPEND_GROUP_SIGNATURE.returns}
        LANGUAGE plpgsql VOLATILE
        SET plan_cache_mode = force_generic_plan
      AS $fn$
      #variable_conflict use_column
      DECLARE
        v_wanted int;
        v_ids uuid[];
        v_heads bigint[];
        v_seqs bigint[];
      BEGIN
        SELECT count(DISTINCT s) INTO v_wanted FROM unnest(p_session) AS s;
        -- In id order, so two groups never deadlock; NO KEY UPDATE, as every writer of a session.
        SELECT coalesce(array_agg(l.id), '{}'), coalesce(array_agg(l.head_seq), '{}')
          INTO v_ids, v_heads
          FROM (SELECT s.id, s.head_seq FROM sessions s WHERE s.id = ANY (p_session)
                 ORDER BY s.id FOR NO KEY UPDATE) l;
        IF coalesce(array_length(v_ids, 1), 0) < v_wanted THEN
          RETURN;
        END IF;
        -- Each key looked up on its own (LATERAL, LIMIT 1), as in vigil_append_lock: the generic
        -- plan is the (session_id, client_id) index whatever the log held when it was made.
        PERFORM 1
           FROM unnest(p_session, p_client) AS k(sid, cid)
          CROSS JOIN LATERAL (
            SELECT 1 FROM session_events ev
             WHERE ev.session_id = k.sid AND ev.client_id = k.cid LIMIT 1) e;
        IF FOUND THEN
          RETURN;
        END IF;

        SELECT array_agg(n.seq ORDER BY n.ord) INTO v_seqs
          FROM (SELECT r.ord, h.head + row_number() OVER (PARTITION BY r.sid ORDER BY r.ord) AS seq
                  FROM unnest(p_session) WITH ORDINALITY AS r(sid, ord)
                  JOIN unnest(v_ids, v_heads) AS h(id, head) ON h.id = r.sid) n;

        RETURN QUERY
          WITH ins AS (
                 INSERT INTO session_events (session_id, seq, type, actor_id, client_id, body_hash,
                                             client_time, at, data)
                 SELECT k.sid, k.seq, k.type, k.actor, k.client, k.hash, k.ctime,
                        clock_timestamp(), k.data
                   FROM unnest(p_session, v_seqs, p_type, p_actor, p_client, p_body_hash,
                               p_client_time, p_data)
                     AS k(sid, seq, type, actor, client, hash, ctime, data)
                 RETURNING session_id, seq, type, actor_id, at, data),
               head AS (
                 UPDATE sessions s SET head_seq = m.seq, updated_at = now()
                   FROM (SELECT k.sid, max(k.seq) AS seq
                           FROM unnest(p_session, v_seqs) AS k(sid, seq) GROUP BY k.sid) m
                  WHERE s.id = m.sid),
               latest AS (
                 INSERT INTO session_latest_readings AS l (session_id, kind, rank, seq)
                 SELECT DISTINCT ON (ins.session_id, r.kind) ins.session_id, r.kind,
                        LEAST(r.measured, floor(extract(epoch FROM ins.at) * 1000)::bigint), ins.seq
                   FROM unnest(p_reading_of, p_reading_kind, p_reading_measured)
                     AS r(of, kind, measured)
                   JOIN ins ON ins.session_id = p_session[r.of] AND ins.seq = v_seqs[r.of]
                  ORDER BY ins.session_id, r.kind,
                           LEAST(r.measured, floor(extract(epoch FROM ins.at) * 1000)::bigint) DESC,
                           ins.seq DESC
                 ON CONFLICT (session_id, kind) DO UPDATE SET rank = excluded.rank, seq = excluded.seq
                    WHERE excluded.rank >= l.rank)
          SELECT ins.session_id, ins.seq, ins.type, ins.actor_id, ins.at, ins.data FROM ins;

        -- Last: the audit chain's head stays locked from here to the commit.
        IF coalesce(array_length(p_audit_of, 1), 0) > 0 THEN
          PERFORM vigil_audit_append(
            p_before_at,
            ARRAY(SELECT b.pre || v_seqs[b.of]::text || b.post
                    FROM unnest(p_before_event_seq, p_audit_of, p_before_seq) WITH ORDINALITY
                      AS b(pre, of, post, i)
                   ORDER BY b.i),
            p_after_seq, p_actor_id, p_actor_role, p_action, p_entity_type, p_entity_id,
            p_patient_id, p_outcome, p_source_ip, p_user_agent,
            ARRAY(SELECT jsonb_set(d.detail, '{seq}', to_jsonb(v_seqs[d.of]))
                    FROM unnest(p_detail, p_audit_of) WITH ORDINALITY AS d(detail, of, i)
                   ORDER BY d.i));
        END IF;
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION vigil_append_group(
      ${APPEND_GROUP_SIGNATURE.argTypes})`);
  }
}
