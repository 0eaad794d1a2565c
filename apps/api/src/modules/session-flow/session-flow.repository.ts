import type { EntityManager } from 'typeorm';
import {
  LIVE_STATES,
  readingMadeAt,
  type AlertPriority,
  type SessionEventData,
  type SessionState,
} from '@vigil/contracts';
import {
  latestBpPairs,
  type BpMeasurement,
  type ClinicianOverride,
  type PreDoseGateResult,
  type PreDoseScreening,
} from '@vigil/clinical';
import { readBpReadings, readLatestCheckInScores, readLatestValue } from '../events/event-reads';

/** A clinician override, remembered with what it lifted (a new screening voids it). */
export interface StoredOverride extends ClinicianOverride {
  screeningSeq?: number | null;
}

export interface ClinicalRecord {
  screening: PreDoseScreening | null;
  screeningSeq: number | null;
  gate: PreDoseGateResult | null;
  preDoseOverride: StoredOverride | null;
  endOverride: StoredOverride | null;
  dose: { mg: number; route: string; takenAt: string; lot?: string; seq: number } | null;
  endChecklist: Record<string, unknown> | null;
  /** v2: when the last no-go screening came, if any. */
  lastNoGoAt: Date | null;
}

export interface LockedSession {
  state: SessionState;
  dosedAt: Date | null;
  protocolId: string;
}

/** Row-locks the session: every flow action on it waits here, so the state it reads is final. */
export async function lockSession(
  manager: EntityManager,
  sessionId: string,
): Promise<LockedSession | null> {
  const rows: Array<{ state: SessionState; dosed_at: Date | null; protocol_id: string }> =
    await manager.query(
      `SELECT state, dosed_at, protocol_id FROM sessions WHERE id = $1 FOR NO KEY UPDATE`,
      [sessionId],
    );
  const row = rows[0];
  return row ? { state: row.state, dosedAt: row.dosed_at, protocolId: row.protocol_id } : null;
}

export async function readClinical(
  manager: EntityManager,
  sessionId: string,
): Promise<ClinicalRecord> {
  const rows: Array<{
    screening: PreDoseScreening | null;
    screening_seq: string | null;
    gate: PreDoseGateResult | null;
    pre_dose_override: StoredOverride | null;
    end_override: StoredOverride | null;
    dose: ClinicalRecord['dose'];
    end_checklist: Record<string, unknown> | null;
    last_no_go_at: Date | null;
  }> = await manager.query(
    `SELECT screening, screening_seq, gate, pre_dose_override, end_override, dose, end_checklist,
            last_no_go_at
       FROM session_clinical WHERE session_id = $1`,
    [sessionId],
  );
  const row = rows[0];
  return {
    screening: row?.screening ?? null,
    screeningSeq: row?.screening_seq ? Number(row.screening_seq) : null,
    gate: row?.gate ?? null,
    preDoseOverride: row?.pre_dose_override ?? null,
    endOverride: row?.end_override ?? null,
    dose: row?.dose ?? null,
    endChecklist: row?.end_checklist ?? null,
    lastNoGoAt: row?.last_no_go_at ?? null,
  };
}

export async function writeClinical(
  manager: EntityManager,
  sessionId: string,
  record: ClinicalRecord,
): Promise<void> {
  await manager.query(
    `INSERT INTO session_clinical
       (session_id, screening, screening_seq, gate, pre_dose_override, end_override, dose, end_checklist,
        last_no_go_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
     ON CONFLICT (session_id) DO UPDATE SET
       screening = EXCLUDED.screening, screening_seq = EXCLUDED.screening_seq, gate = EXCLUDED.gate,
       pre_dose_override = EXCLUDED.pre_dose_override, end_override = EXCLUDED.end_override,
       dose = EXCLUDED.dose, end_checklist = EXCLUDED.end_checklist,
       last_no_go_at = EXCLUDED.last_no_go_at, updated_at = now()`,
    [
      sessionId,
      json(record.screening),
      record.screeningSeq,
      json(record.gate),
      json(record.preDoseOverride),
      json(record.endOverride),
      json(record.dose),
      json(record.endChecklist),
      record.lastNoGoAt,
    ],
  );
}

/**
 * The session's new state and times. `now` is when a session leaving `scheduled` for a live state
 * went live (`live_since`: a paired device's readings measured before it are not this session's).
 */
export async function updateSessionState(
  manager: EntityManager,
  sessionId: string,
  state: SessionState,
  times: { dosedAt?: Date; endedAt?: Date },
  now: Date,
): Promise<void> {
  await manager.query(
    `UPDATE sessions SET state = $2, dosed_at = COALESCE($3, dosed_at),
            ended_at = COALESCE($4, ended_at), updated_at = now(),
            live_since = CASE WHEN live_since IS NULL AND state = 'scheduled'
                               AND $2 = ANY($6::text[]) THEN $5 ELSE live_since END
      WHERE id = $1`,
    [sessionId, state, times.dosedAt ?? null, times.endedAt ?? null, now, LIVE_STATES],
  );
}

/**
 * What the end checklist needs from the log: the last two BPs, the latest pulse, MOAA/S and
 * dissociation since the dose, and the alerts not resolved. A BP is dated by the server's clock
 * (`readingMadeAt`), as the checklist's now is, and as the dashboard's preview dates it.
 */
export async function readEndObservations(
  manager: EntityManager,
  sessionId: string,
  doseSeq: number,
): Promise<{
  latestBp: BpMeasurement | null;
  previousBp: BpMeasurement | null;
  latestPulse: number | null;
  latestMoaas: number | null;
  latestDissociation: number | null;
  openConditions: string[];
}> {
  const [latestBp, previousBp] = latestBpPairs(
    (await readBpReadings(manager, sessionId)).map((r) => ({
      ...r,
      madeAt: readingMadeAt(r, r.committedAt),
    })),
  );
  const latestPulse = await readLatestValue(manager, sessionId, 'heart_rate');
  const scores = await readLatestCheckInScores(manager, sessionId, doseSeq);
  const open: Array<{ condition: string }> = await manager.query(
    `SELECT condition FROM alerts WHERE session_id = $1 AND status <> 'resolved'`,
    [sessionId],
  );
  return {
    latestBp: latestBp ?? null,
    previousBp: previousBp ?? null,
    latestPulse,
    latestMoaas: scores.moaas,
    latestDissociation: scores.dissociation,
    openConditions: open.map((o) => o.condition),
  };
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/**
 * CLINICAL.md v2: ending or aborting a session resolves its open alerts, with that reason, who
 * and when, and so stops their escalation: no alert outlives its session. Runs in the flow's
 * transaction (session row already locked; alert rows next, the lock order everywhere). Returns
 * the `alert.resolved` events to append after the state change.
 */
export async function resolveOpenAlerts(
  manager: EntityManager,
  sessionId: string,
  reason: 'session ended' | 'session aborted',
  by: string,
  now: Date,
): Promise<
  Array<{
    sessionId: string;
    type: 'alert.resolved';
    actorId: string;
    clientId: null;
    bodyHash: null;
    clientTime: null;
    data: SessionEventData<'alert.resolved'>;
    audit: null;
  }>
> {
  const [rows]: [Array<{ id: string; condition: string; priority: AlertPriority }>, number] =
    await manager.query(
      `UPDATE alerts SET status = 'resolved', resolved_at = $2, resolved_by = $3,
              resolution_note = $4, auto_resolved = false, updated_at = $2
        WHERE session_id = $1 AND status <> 'resolved'
        RETURNING id, condition, priority`,
      [sessionId, now, by, reason],
    );
  return rows
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((row) => ({
      sessionId,
      type: 'alert.resolved' as const,
      actorId: by,
      clientId: null,
      bodyHash: null,
      clientTime: null,
      data: {
        alertId: row.id,
        condition: row.condition,
        priority: row.priority,
        auto: false,
        reason,
        by,
        note: reason,
      },
      audit: null,
    }));
}
