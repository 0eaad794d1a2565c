import type { EntityManager } from 'typeorm';
import type { ProtocolOverride } from '@vigil/clinical';
import { groupBy } from '../../common/group-by';

/** SQL for per-patient protocol overrides: active rows have no `cleared_at`. */
export interface OverrideRow {
  id: string;
  patient_id: string;
  setting: string;
  value: number;
  reason: string;
  set_by: string;
  set_by_name: string;
  set_at: Date;
}

const SELECT_ACTIVE = `
  SELECT o.id, o.patient_id, o.setting, o.value, o.reason, o.set_by, u.name AS set_by_name, o.set_at
    FROM patient_protocol_overrides o JOIN users u ON u.id = o.set_by
   WHERE o.cleared_at IS NULL`;

export function toProtocolOverride(row: OverrideRow): ProtocolOverride {
  return {
    setting: row.setting,
    value: row.value,
    reason: row.reason,
    by: row.set_by,
    at: row.set_at.toISOString(),
  };
}

/** The overrides in force for each patient, oldest first (one round trip for a batch). */
export async function readActiveOverrides(
  manager: EntityManager,
  patientIds: readonly string[],
  lock = false,
): Promise<Map<string, OverrideRow[]>> {
  if (patientIds.length === 0) return new Map();
  const rows: OverrideRow[] = await manager.query(
    `${SELECT_ACTIVE} AND o.patient_id = ANY($1::uuid[]) ORDER BY o.set_at, o.id
     ${lock ? 'FOR UPDATE OF o' : ''}`,
    [[...new Set(patientIds)]],
  );
  return groupBy(
    rows,
    (row) => row.patient_id,
    (row) => ({ ...row, value: Number(row.value) }),
  );
}

/** Every override a patient has had of the given settings, cleared ones too, oldest first. */
export function readOverrideHistory(
  manager: EntityManager,
  patientId: string,
  settings: readonly string[],
): Promise<Array<{ setting: string; value: string; set_at: Date; cleared_at: Date | null }>> {
  return manager.query(
    `SELECT setting, value, set_at, cleared_at FROM patient_protocol_overrides
      WHERE patient_id = $1 AND setting = ANY($2::text[]) ORDER BY set_at, id`,
    [patientId, settings],
  );
}

/** Ends the active override of a setting (if any); returns it as it was. */
export async function clearOverride(
  manager: EntityManager,
  patientId: string,
  setting: string,
  by: string,
  at: Date,
  reason: string,
): Promise<OverrideRow | null> {
  // TypeORM answers an UPDATE ... RETURNING on PostgreSQL with [rows, rowCount].
  const [updated]: [OverrideRow[], number] = await manager.query(
    `UPDATE patient_protocol_overrides SET cleared_by = $3, cleared_at = $4, clear_reason = $5
      WHERE patient_id = $1 AND setting = $2 AND cleared_at IS NULL
      RETURNING id, patient_id, setting, value, reason, set_by, set_at`,
    [patientId, setting, by, at, reason],
  );
  const row = updated[0];
  return row ? { ...row, value: Number(row.value), set_by_name: '' } : null;
}

export async function insertOverride(
  manager: EntityManager,
  patientId: string,
  override: { setting: string; value: number; reason: string; by: string; at: Date },
): Promise<void> {
  await manager.query(
    `INSERT INTO patient_protocol_overrides (patient_id, setting, value, reason, set_by, set_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [patientId, override.setting, override.value, override.reason, override.by, override.at],
  );
}

/** The patient's live sessions, row-locked, to announce a change to whoever watches them. */
export async function lockLiveSessionsOf(
  manager: EntityManager,
  patientId: string,
  liveStates: readonly string[],
): Promise<string[]> {
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT id FROM sessions WHERE patient_id = $1 AND state = ANY($2::text[]) ORDER BY id FOR NO KEY UPDATE`,
    [patientId, liveStates],
  );
  return rows.map((r) => r.id);
}

/**
 * Whether the patient exists and the caller may see them: `visible` is SessionAccess's
 * visibility clause, which reads the patient as `p` and the session's patient id as
 * `s.patient_id` (here the patient's own id, there being no session).
 */
export async function isPatientVisible(
  manager: EntityManager,
  patientId: string,
  visible: { sql: string; params: unknown[] },
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM patients p CROSS JOIN LATERAL (SELECT p.id AS patient_id) s
      WHERE p.id = $1 AND ${visible.sql}`,
    [patientId, ...visible.params],
  );
  return rows.length > 0;
}

export async function patientExists(manager: EntityManager, patientId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM patients WHERE id = $1`, [patientId]);
  return rows.length > 0;
}
