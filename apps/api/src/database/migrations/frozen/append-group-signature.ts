/**
 * The signature of `vigil_append_group` (migration 1764190080000), which
 * `vigil_append_group_live` (1764190110000) takes again, with two arguments more, to hand it on
 * and return the group's rows as they are. PostgreSQL names a function by its argument types, so
 * both migrations' `DROP FUNCTION` spell them too. Frozen with the migrations that use it: its
 * text is part of the SQL they run and must never change under them.
 */
export const APPEND_GROUP_SIGNATURE = {
  /** The parameters, as `CREATE FUNCTION vigil_append_group(` declares them. */
  params: `p_session uuid[], p_type text[], p_actor uuid[], p_client text[], p_body_hash text[],
          p_client_time timestamptz[], p_data jsonb[],
          p_reading_of int[], p_reading_kind text[], p_reading_measured bigint[],
          p_audit_of int[], p_before_at text[], p_before_event_seq text[], p_before_seq text[],
          p_after_seq text[], p_actor_id uuid[], p_actor_role text[], p_action text[],
          p_entity_type text[], p_entity_id text[], p_patient_id uuid[], p_outcome text[],
          p_source_ip text[], p_user_agent text[], p_detail jsonb[]`,

  /** The rows it returns: the events it appended. */
  returns: `RETURNS TABLE (session_id uuid, seq bigint, type text, actor_id uuid, at timestamptz,
                       data jsonb)`,

  /** The parameters' types alone, as `DROP FUNCTION` names the function. */
  argTypes: `uuid[], text[], uuid[], text[], text[], timestamptz[], jsonb[], int[], text[], bigint[],
      int[], text[], text[], text[], text[], uuid[], text[], text[], text[], text[], uuid[], text[],
      text[], text[], jsonb[]`,
} as const;
