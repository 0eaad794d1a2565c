import type { EntityManager } from 'typeorm';
import { LIVE_STATES, type DeviceKind, type DeviceSummary } from '@vigil/contracts';
import { prepared, queryPrepared } from '../../common/prepared-statements';
import type { AuthUser } from '../../common/request-context';

/** SQL for `devices`: pairing rows, their credentials' lookup keys and who may manage them. */
export interface DeviceRow {
  id: string;
  patient_id: string;
  kind: DeviceKind;
  manufacturer: string;
  model: string;
  serial: string;
  key_id: string;
  secret_hash: string;
  paired_at: Date;
  paired_by: string;
  paired_by_name: string;
  rotated_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoked_by_name: string | null;
  revoke_reason: string | null;
  last_seen_at: Date | null;
  /** Whether the patient's account is active: a deactivated patient's devices are refused. */
  patient_active: boolean;
}

const SELECT_DEVICE = `
  SELECT d.id, d.patient_id, d.kind, d.manufacturer, d.model, d.serial, d.key_id, d.secret_hash,
         d.paired_at, d.paired_by, pb.name AS paired_by_name, d.rotated_at, d.revoked_at,
         d.revoked_by, rb.name AS revoked_by_name, d.revoke_reason, d.last_seen_at,
         pu.active AS patient_active
    FROM devices d
    JOIN patients p ON p.id = d.patient_id
    JOIN users pu ON pu.id = p.user_id
    JOIN users pb ON pb.id = d.paired_by
    LEFT JOIN users rb ON rb.id = d.revoked_by`;

export const credentialHint = (keyId: string) => `vgd_${keyId}_…`;

/** What names a device wherever it appears: in its summary and as an authenticated caller. */
export function deviceOf(
  row: DeviceRow,
): Pick<DeviceSummary, 'id' | 'patientId' | 'kind' | 'manufacturer' | 'model'> {
  return {
    id: row.id,
    patientId: row.patient_id,
    kind: row.kind,
    manufacturer: row.manufacturer,
    model: row.model,
  };
}

export function toDeviceSummary(row: DeviceRow): DeviceSummary {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    ...deviceOf(row),
    serial: row.serial,
    status: row.revoked_at ? 'revoked' : 'active',
    credentialHint: credentialHint(row.key_id),
    pairedAt: row.paired_at.toISOString(),
    pairedBy: { id: row.paired_by, name: row.paired_by_name },
    rotatedAt: iso(row.rotated_at),
    revokedAt: iso(row.revoked_at),
    revokedBy: row.revoked_by ? { id: row.revoked_by, name: row.revoked_by_name ?? '' } : null,
    revokeReason: row.revoke_reason,
    lastSeenAt: iso(row.last_seen_at),
  };
}

/**
 * Whether this user may manage the patient's devices: a supervisor any patient's, a clinician
 * those of patients assigned to them at `now`. Null when the patient does not exist or is not
 * theirs (the caller answers 404 either way).
 */
export async function managedPatient(
  manager: EntityManager,
  user: AuthUser,
  patientId: string,
  now: Date,
): Promise<{ id: string } | null> {
  if (user.role !== 'supervisor' && user.role !== 'clinician') return null;
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT p.id FROM patients p
      WHERE p.id = $1
        AND ($2 = 'supervisor' OR EXISTS (
              SELECT 1 FROM clinician_assignments a
               WHERE a.clinician_id = $3 AND a.patient_id = p.id AND a.valid_from <= $4
                 AND (a.valid_until IS NULL OR a.valid_until > $4)))`,
    [patientId, user.role, user.id, now],
  );
  return rows[0] ?? null;
}

export async function insertDevice(
  manager: EntityManager,
  fields: {
    patientId: string;
    kind: DeviceKind;
    manufacturer: string;
    model: string;
    serial: string;
    keyId: string;
    secretHash: string;
    pairedBy: string;
    pairedAt: Date;
  },
): Promise<string | null> {
  const rows: Array<{ id: string }> = await manager.query(
    `INSERT INTO devices (patient_id, kind, manufacturer, model, serial, key_id, secret_hash, paired_by, paired_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (kind, manufacturer, model, serial) WHERE revoked_at IS NULL DO NOTHING
     RETURNING id`,
    [
      fields.patientId,
      fields.kind,
      fields.manufacturer,
      fields.model,
      fields.serial,
      fields.keyId,
      fields.secretHash,
      fields.pairedBy,
      fields.pairedAt,
    ],
  );
  return rows[0]?.id ?? null;
}

export async function findDevice(
  manager: EntityManager,
  patientId: string,
  deviceId: string,
  lock = false,
): Promise<DeviceRow | null> {
  if (lock) {
    await manager.query(`SELECT 1 FROM devices WHERE id = $1 FOR UPDATE`, [deviceId]);
  }
  const rows: DeviceRow[] = await manager.query(
    `${SELECT_DEVICE} WHERE d.id = $1 AND d.patient_id = $2`,
    [deviceId, patientId],
  );
  return rows[0] ?? null;
}

export function listDevices(manager: EntityManager, patientId: string): Promise<DeviceRow[]> {
  return manager.query(
    `${SELECT_DEVICE} WHERE d.patient_id = $1
      ORDER BY (d.revoked_at IS NULL) DESC, d.paired_at DESC, d.id`,
    [patientId],
  );
}

export async function findByKeyId(
  manager: EntityManager,
  keyId: string,
): Promise<DeviceRow | null> {
  const rows: DeviceRow[] = await manager.query(`${SELECT_DEVICE} WHERE d.key_id = $1`, [keyId]);
  return rows[0] ?? null;
}

/**
 * Which of these (device, key) pairs still hold: not revoked, not rotated since, and their
 * patient's account still active (a deactivation refuses the patient's devices as it ends the
 * patient's own sockets; a reactivation lets them in again).
 */
export async function stillValid(
  manager: EntityManager,
  pairs: Array<{ id: string; keyId: string }>,
  lock = false,
): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT d.id FROM devices d
       JOIN unnest($1::uuid[], $2::text[]) AS k(id, key_id) ON d.id = k.id AND d.key_id = k.key_id
       JOIN patients p ON p.id = d.patient_id
       JOIN users pu ON pu.id = p.user_id
      WHERE d.revoked_at IS NULL AND pu.active ${lock ? 'FOR SHARE OF d' : ''}`,
    [pairs.map((p) => p.id), pairs.map((p) => p.keyId)],
  );
  return new Set(rows.map((r) => r.id));
}

export async function revokeDevice(
  manager: EntityManager,
  deviceId: string,
  by: string,
  at: Date,
  reason: string | null,
): Promise<void> {
  await manager.query(
    `UPDATE devices SET revoked_at = $3, revoked_by = $2, revoke_reason = $4
      WHERE id = $1 AND revoked_at IS NULL`,
    [deviceId, by, at, reason],
  );
}

export async function rotateDevice(
  manager: EntityManager,
  deviceId: string,
  keyId: string,
  secretHash: string,
  by: string,
  at: Date,
): Promise<void> {
  await manager.query(
    `UPDATE devices SET key_id = $2, secret_hash = $3, rotated_at = $5, rotated_by = $4
      WHERE id = $1 AND revoked_at IS NULL`,
    [deviceId, keyId, secretHash, by, at],
  );
}

// A device's reading over its socket runs these, once a second per device. In the demo (200
// simulated devices) the credential check, the live-session lookup and the touch were three of
// 8.5 statements per event, each planned on every call; now two, named (planned once).
const TOUCH_DEVICE = prepared(
  'vigil_device_touch',
  `UPDATE devices SET last_seen_at = now()
    WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < now() - interval '2 seconds')`,
);
/**
 * A patient's live session, the newest should there be more than one, and when it went live (a
 * session created live has no `live_since`: its creation). The arguments are SQL (a column or a
 * placeholder), never values.
 */
const liveSessionSql = (patientId: string, states: string) =>
  `SELECT s.id, COALESCE(s.live_since, s.created_at) AS started_at
     FROM sessions s WHERE s.patient_id = ${patientId} AND s.state = ANY(${states}::text[])
    ORDER BY s.created_at DESC, s.id LIMIT 1`;
const DEVICE_STANDING = prepared(
  'vigil_device_standing',
  `SELECT d.revoked_at IS NULL AND d.key_id = $2 AND pu.active AS valid,
          ls.id AS live_session, ls.started_at
     FROM devices d
     JOIN patients p ON p.id = d.patient_id
     JOIN users pu ON pu.id = p.user_id
     LEFT JOIN LATERAL (${liveSessionSql('d.patient_id', '$3')}) ls ON true
    WHERE d.id = $1`,
);

/** A patient's live session and when it went live (the lower bound of its device readings). */
export interface LiveSession {
  id: string;
  startedAt: Date;
}

export async function touchDevice(manager: EntityManager, deviceId: string): Promise<void> {
  await queryPrepared(manager, TOUCH_DEVICE, [deviceId]);
}

/**
 * In one round trip, what a reading from a device's socket needs: whether its credential still
 * holds (not revoked, not rotated since, its patient's account active) and its patient's live
 * session (as `liveSessionOf`).
 */
export async function deviceStanding(
  manager: EntityManager,
  device: { id: string; keyId: string },
): Promise<{ valid: boolean; liveSession: LiveSession | null }> {
  const [row] = await queryPrepared<{
    valid: boolean;
    live_session: string | null;
    started_at: Date | null;
  }>(manager, DEVICE_STANDING, [device.id, device.keyId, LIVE_STATES]);
  return {
    valid: row?.valid === true,
    liveSession:
      row?.live_session && row.started_at
        ? { id: row.live_session, startedAt: row.started_at }
        : null,
  };
}

/** The patient's live session (liveSessionSql), or null. */
export async function liveSessionOf(
  manager: EntityManager,
  patientId: string,
): Promise<LiveSession | null> {
  const rows: Array<{ id: string; started_at: Date }> = await manager.query(
    liveSessionSql('$1', '$2'),
    [patientId, LIVE_STATES],
  );
  return rows[0] ? { id: rows[0].id, startedAt: rows[0].started_at } : null;
}
