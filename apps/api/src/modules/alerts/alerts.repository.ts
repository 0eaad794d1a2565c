import type { EntityManager } from 'typeorm';
import type { AlertPriority, AlertStatus, AlertSummary, SessionState } from '@vigil/contracts';
import type { AlertEngineState, AlertRecord } from '@vigil/clinical';
import { groupBy } from '../../common/group-by';

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
  clock_at: Date;
  occurrences: number;
  auto_resolved: boolean;
}

export const ALERT_COLUMNS = `id, session_id, condition, priority, status, message, raised_seq, raised_at,
  updated_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, resolution_note,
  silenced_until, last_escalated_at, escalation_count, clock_at, occurrences, auto_resolved`;

/** The alert as the pure lifecycle planner (libs/clinical) sees it. */
export function toAlertRecord(row: AlertRow): AlertRecord {
  return {
    id: row.id,
    condition: row.condition,
    priority: row.priority,
    status: row.status,
    message: row.message,
    clockAt: row.clock_at,
    acknowledgedAt: row.acknowledged_at,
    lastEscalatedAt: row.last_escalated_at,
    escalationCount: row.escalation_count,
    silencedUntil: row.silenced_until,
    resolvedAt: row.resolved_at,
    autoResolved: row.auto_resolved,
    count: row.occurrences,
  };
}

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
  /** When the patient's device was last heard (its heartbeats are not events). */
  deviceLastSeenAt: Date | null;
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
  return (await readEngineSessions(manager, [sessionId], lock)).get(sessionId) ?? null;
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

/** Bulk forms of the engine queries: one round trip per batch of sessions, not per session. */
export async function readEngineSessions(
  manager: EntityManager,
  sessionIds: string[],
  lock: boolean,
): Promise<Map<string, EngineSession>> {
  const rows: Array<{
    id: string;
    patient_id: string;
    device_last_seen_at: Date | null;
    state: SessionState;
    dosed_at: Date | null;
    protocol_id: string;
    head_seq: string;
    sbp: number | null;
    dbp: number | null;
    hr: number | null;
  }> = await manager.query(
    `SELECT s.id, s.patient_id, s.state, s.dosed_at, s.protocol_id, s.head_seq,
            s.device_last_seen_at,
            p.baseline_sbp AS sbp, p.baseline_dbp AS dbp, p.baseline_hr AS hr
       FROM sessions s JOIN patients p ON p.id = s.patient_id
      WHERE s.id = ANY($1::uuid[]) ORDER BY s.id ${lock ? 'FOR NO KEY UPDATE OF s' : ''}`,
    [sessionIds],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        patientId: r.patient_id,
        deviceLastSeenAt: r.device_last_seen_at,
        state: r.state,
        dosedAt: r.dosed_at,
        protocolId: r.protocol_id,
        headSeq: Number(r.head_seq),
        baseline:
          r.sbp !== null && r.dbp !== null && r.hr !== null
            ? { sbp: r.sbp, dbp: r.dbp, hr: r.hr }
            : null,
      },
    ]),
  );
}

/*
 * The engine's states go as one JSON document read with jsonb_to_recordset, not as a `jsonb[]`:
 * pg escapes every quote of every element of an array parameter character by character, 3-4 % of
 * the API's CPU at 2,000 submissions a second for a state per session per pass (issue 15);
 * JSON.stringify is native.
 */

export async function insertEngineStates(
  manager: EntityManager,
  rows: Array<{ sessionId: string; state: AlertEngineState }>,
): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO session_alert_state (session_id, state, last_seq)
     SELECT k.id, k.state, 0 FROM jsonb_to_recordset($1::jsonb) AS k(id uuid, state jsonb)
     ON CONFLICT (session_id) DO NOTHING`,
    [JSON.stringify(rows.map((r) => ({ id: r.sessionId, state: r.state })))],
  );
}

/** Locks the engine rows in session id order (the lock order everywhere); skips held ones if asked. */
export async function lockEngineStates(
  manager: EntityManager,
  sessionIds: string[],
  skipLocked: boolean,
): Promise<Map<string, EngineRow>> {
  const rows: Array<{ session_id: string; state: AlertEngineState; last_seq: string }> =
    await manager.query(
      `SELECT session_id, state, last_seq FROM session_alert_state
        WHERE session_id = ANY($1::uuid[]) ORDER BY session_id
          FOR UPDATE ${skipLocked ? 'SKIP LOCKED' : ''}`,
      [sessionIds],
    );
  return new Map(rows.map((r) => [r.session_id, { state: r.state, lastSeq: Number(r.last_seq) }]));
}

export async function saveEngineStates(
  manager: EntityManager,
  rows: Array<{ sessionId: string; state: AlertEngineState; lastSeq: number }>,
): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `UPDATE session_alert_state s SET state = k.state, last_seq = k.last_seq, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS k(id uuid, state jsonb, last_seq bigint)
      WHERE s.session_id = k.id`,
    [JSON.stringify(rows.map((r) => ({ id: r.sessionId, state: r.state, last_seq: r.lastSeq })))],
  );
}

/**
 * The alerts the lifecycle planner needs, row-locked: every unresolved one, those the engine
 * resolved since `reopenableSince` (a condition back within the episode window reopens them), and
 * each condition's latest alert when a clinician resolved it (only evidence after that resolve
 * raises the condition again: libs/clinical noteManualResolves).
 */
export async function readHeldAlertsMany(
  manager: EntityManager,
  sessionIds: string[],
  reopenableSince: Date,
  lock = true,
): Promise<Map<string, AlertRow[]>> {
  const rows: AlertRow[] = await manager.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts
      WHERE session_id = ANY($1::uuid[])
        AND (status <> 'resolved' OR (auto_resolved AND resolved_at >= $2))
      ORDER BY session_id, raised_at, id ${lock ? 'FOR UPDATE' : ''}`,
    [sessionIds, reopenableSince],
  );
  // A separate read, unlocked (a resolved row never changes again), so the locked read above
  // keeps its partial indexes: each condition's latest alert, kept when resolved by hand.
  const latest: AlertRow[] = await manager.query(
    `SELECT * FROM (
       SELECT DISTINCT ON (session_id, condition) ${ALERT_COLUMNS} FROM alerts
        WHERE session_id = ANY($1::uuid[])
        ORDER BY session_id, condition, raised_seq DESC) l
      WHERE status = 'resolved' AND NOT auto_resolved`,
    [sessionIds],
  );
  return groupBy([...rows, ...latest], (r) => r.session_id);
}

/** A session the watchdog looks at, with its engine's state, read without locks. */
export interface WatchdogCandidate {
  id: string;
  patient_id: string;
  protocol_id: string;
  state: SessionState;
  device_last_seen_at: Date | null;
  head_seq: string;
  last_seq: string | null;
  engine: AlertEngineState | null;
}

/** The live sessions, and any other with a high or medium alert still open (escalations). */
export function readWatchdogCandidates(
  manager: EntityManager,
  liveStates: readonly string[],
): Promise<WatchdogCandidate[]> {
  return manager.query(
    `WITH ids AS (
       SELECT id FROM sessions WHERE state = ANY($1::text[])
       UNION
       SELECT session_id FROM alerts WHERE status = 'open' AND priority IN ('high', 'medium'))
     SELECT s.id, s.patient_id, s.protocol_id, s.state, s.device_last_seen_at, s.head_seq,
            st.last_seq, st.state AS engine
       FROM ids JOIN sessions s ON s.id = ids.id
       LEFT JOIN session_alert_state st ON st.session_id = s.id`,
    [liveStates],
  );
}
