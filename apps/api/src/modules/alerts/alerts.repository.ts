import type { EntityManager } from 'typeorm';
import type { AlertPriority, AlertStatus, AlertSummary, SessionState } from '@vigil/contracts';
import type { AlertEngineState } from '@vigil/clinical';

/** SQL for the alert engine: its per-session state and the `alerts` rows. */
export interface AlertRow {
  id: string;
  session_id: string;
  condition: string;
  priority: AlertPriority;
  status: AlertStatus;
  message: string;
  raised_seq: string;
  raised_at: Date;
  updated_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution_note: string | null;
  silenced_until: Date | null;
  last_escalated_at: Date | null;
  escalation_count: number;
}

export const ALERT_COLUMNS = `id, session_id, condition, priority, status, message, raised_seq, raised_at,
  updated_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, resolution_note,
  silenced_until, last_escalated_at, escalation_count`;

/** Presence (device offline) belongs to the realtime module: the engine neither raises nor resolves it. */
export const FOREIGN_CONDITIONS: readonly string[] = ['device_offline'];

export function toAlertSummary(row: AlertRow): AlertSummary {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    sessionId: row.session_id,
    condition: row.condition,
    priority: row.priority,
    status: row.status,
    message: row.message,
    raisedSeq: Number(row.raised_seq),
    raisedAt: row.raised_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: iso(row.resolved_at),
    resolvedBy: row.resolved_by,
    resolutionNote: row.resolution_note,
    silencedUntil: iso(row.silenced_until),
    lastEscalatedAt: iso(row.last_escalated_at),
    escalationCount: row.escalation_count,
  };
}

export interface EngineRow {
  state: AlertEngineState;
  lastSeq: number;
}

/** Locks the engine row; 'locked' when another worker holds it and `skipLocked` is set. */
export async function lockEngineState(
  manager: EntityManager,
  sessionId: string,
  skipLocked: boolean,
): Promise<EngineRow | 'missing' | 'locked'> {
  const rows: Array<{ state: AlertEngineState; last_seq: string }> = await manager.query(
    `SELECT state, last_seq FROM session_alert_state WHERE session_id = $1
       FOR UPDATE ${skipLocked ? 'SKIP LOCKED' : ''}`,
    [sessionId],
  );
  if (rows[0]) return { state: rows[0].state, lastSeq: Number(rows[0].last_seq) };
  if (!skipLocked) return 'missing';
  const exists: unknown[] = await manager.query(
    `SELECT 1 FROM session_alert_state WHERE session_id = $1`,
    [sessionId],
  );
  return exists.length > 0 ? 'locked' : 'missing';
}

/** Creates the engine row; false when another worker created it first. The new row is ours. */
export async function insertEngineState(
  manager: EntityManager,
  sessionId: string,
  state: AlertEngineState,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO session_alert_state (session_id, state, last_seq) VALUES ($1, $2, 0)
     ON CONFLICT (session_id) DO NOTHING RETURNING session_id`,
    [sessionId, JSON.stringify(state)],
  );
  return rows.length > 0;
}

export async function saveEngineState(
  manager: EntityManager,
  sessionId: string,
  state: AlertEngineState,
  lastSeq: number,
): Promise<void> {
  await manager.query(
    `UPDATE session_alert_state SET state = $2, last_seq = $3, updated_at = now() WHERE session_id = $1`,
    [sessionId, JSON.stringify(state), lastSeq],
  );
}

export interface EngineSession {
  patientId: string;
  state: SessionState;
  dosedAt: Date | null;
  protocolId: string;
  headSeq: number;
  baseline: { sbp: number; dbp: number; hr: number } | null;
}

export async function readEngineSession(
  manager: EntityManager,
  sessionId: string,
  lock: boolean,
): Promise<EngineSession | null> {
  const rows: Array<{
    patient_id: string;
    state: SessionState;
    dosed_at: Date | null;
    protocol_id: string;
    head_seq: string;
    sbp: number | null;
    dbp: number | null;
    hr: number | null;
  }> = await manager.query(
    `SELECT s.patient_id, s.state, s.dosed_at, s.protocol_id, s.head_seq,
            p.baseline_sbp AS sbp, p.baseline_dbp AS dbp, p.baseline_hr AS hr
       FROM sessions s JOIN patients p ON p.id = s.patient_id
      WHERE s.id = $1 ${lock ? 'FOR UPDATE OF s' : ''}`,
    [sessionId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    patientId: r.patient_id,
    state: r.state,
    dosedAt: r.dosed_at,
    protocolId: r.protocol_id,
    headSeq: Number(r.head_seq),
    baseline:
      r.sbp !== null && r.dbp !== null && r.hr !== null
        ? { sbp: r.sbp, dbp: r.dbp, hr: r.hr }
        : null,
  };
}

export async function readEventsAfter(
  manager: EntityManager,
  sessionId: string,
  after: number,
): Promise<Array<{ seq: number; type: string; data: Record<string, unknown> }>> {
  const rows: Array<{ seq: string; type: string; data: Record<string, unknown> }> =
    await manager.query(
      `SELECT seq, type, data FROM session_events WHERE session_id = $1 AND seq > $2 ORDER BY seq`,
      [sessionId, after],
    );
  return rows.map((r) => ({ seq: Number(r.seq), type: r.type, data: r.data }));
}

/** Open and acknowledged alerts the engine owns, oldest first, row-locked when asked. */
export async function readOpenAlerts(
  manager: EntityManager,
  sessionId: string,
  lock: boolean,
): Promise<AlertRow[]> {
  return manager.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts
      WHERE session_id = $1 AND status <> 'resolved' AND condition <> ALL($2::text[])
      ORDER BY raised_at, id ${lock ? 'FOR UPDATE' : ''}`,
    [sessionId, FOREIGN_CONDITIONS],
  );
}

export async function findAlert(manager: EntityManager, alertId: string): Promise<AlertRow | null> {
  const rows: AlertRow[] = await manager.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`,
    [alertId],
  );
  return rows[0] ?? null;
}

export async function lockAlert(manager: EntityManager, alertId: string): Promise<AlertRow | null> {
  const rows: AlertRow[] = await manager.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1 FOR UPDATE`,
    [alertId],
  );
  return rows[0] ?? null;
}

export async function listSessionAlerts(
  manager: EntityManager,
  sessionId: string,
): Promise<AlertSummary[]> {
  const rows: AlertRow[] = await manager.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE session_id = $1 ORDER BY raised_at DESC, id`,
    [sessionId],
  );
  return rows.map(toAlertSummary);
}
