import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APPEND_GROUP_SIGNATURE } from './frozen/append-group-signature';

/**
 * A patient's help press, check-in or message is refused when its session is not live: decided
 * under the session row's lock, in the statement that would append it. It was decided by a read
 * just before the append, without the lock, so a help press sent while a clinician's abort was
 * committing was read as live, waited for the lock, and was stored after the abort (201, and no
 * alert: the engine judges nothing on a closed session). See docs/API.md v1.9.
 *
 * `vigil_append_group_live` takes the group's arguments and, for each request, whether it may
 * only go to a live session. When any may, it locks the group's session rows (in id order, as
 * every writer does) and, in a statement of its own so that it sees a state committed while the
 * locks were awaited, looks for such a request whose session is not in `p_live_states`: then it
 * writes nothing and returns no row, and the API appends the group in a transaction of several
 * statements, which tells the refusal from a retry of a client id stored while the session was
 * live, and audits it (EventStore). Otherwise it is `vigil_append_group` (migration
 * 1764190080000), whose locks are then already held. A group with no such request (vitals: the
 * bulk of the load) goes straight to it.
 */
export class AppendLiveOnly1764190110000 implements MigrationInterface {
  name = 'AppendLiveOnly1764190110000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION vigil_append_group_live(
          ${APPEND_GROUP_SIGNATURE.params},
          p_live_only boolean[], p_live_states text[])
        ${APPEND_GROUP_SIGNATURE.returns}
        LANGUAGE plpgsql VOLATILE
        SET plan_cache_mode = force_generic_plan
      AS $fn$
      #variable_conflict use_column
      BEGIN
        IF true = ANY (p_live_only) THEN
          PERFORM 1 FROM (SELECT s.id FROM sessions s WHERE s.id = ANY (p_session)
                           ORDER BY s.id FOR NO KEY UPDATE) l;
          PERFORM 1
             FROM unnest(p_session, p_live_only) AS k(sid, live_only)
             JOIN sessions s ON s.id = k.sid
            WHERE k.live_only AND NOT (s.state = ANY (p_live_states));
          IF FOUND THEN
            RETURN;
          END IF;
        END IF;
        RETURN QUERY SELECT * FROM vigil_append_group(
          p_session, p_type, p_actor, p_client, p_body_hash, p_client_time, p_data,
          p_reading_of, p_reading_kind, p_reading_measured, p_audit_of, p_before_at,
          p_before_event_seq, p_before_seq, p_after_seq, p_actor_id, p_actor_role, p_action,
          p_entity_type, p_entity_id, p_patient_id, p_outcome, p_source_ip, p_user_agent,
          p_detail);
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION vigil_append_group_live(
      ${APPEND_GROUP_SIGNATURE.argTypes}, boolean[], text[])`);
  }
}
