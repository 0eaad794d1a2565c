import type { AlertPriority, SessionState } from './domain';
import type { SessionSummary } from './responses';

/**
 * Supervisor and audit (contract v1 additions): session history, alert response figures, the
 * REMS-style session report, the audit log viewer and the audit chain's verification.
 */

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** How a session ended: signed off, aborted, or not over yet. */
export const SESSION_OUTCOMES = ['signed_off', 'aborted', 'in_progress'] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

export interface SessionHistoryQuery {
  from?: string;
  to?: string;
  clinicianId?: string;
  patientId?: string;
  state?: string;
  outcome?: SessionOutcome;
  alertPriority?: AlertPriority;
  page?: number;
  pageSize?: number;
}

export interface SessionHistoryItem extends SessionSummary {
  createdAt: string;
  outcome: SessionOutcome;
  /** Alerts raised in the session, by their (highest) priority. */
  alerts: Record<AlertPriority, number>;
  escalations: number;
  monitoringMinutes: number | null;
}

export interface ResponseFigure {
  alerts: number;
  acknowledged: number;
  /** Seconds from raised to acknowledged; null when nothing was acknowledged. */
  ackP50Seconds: number | null;
  ackP90Seconds: number | null;
  escalatedAlerts: number;
  escalations: number;
}

export interface AlertFigures {
  from: string;
  to: string;
  sessions: number;
  sessionHours: number;
  totals: ResponseFigure;
  byClinician: Array<ResponseFigure & { clinicianId: string; clinicianName: string }>;
  byPriority: Array<ResponseFigure & { priority: AlertPriority }>;
  byCondition: Array<{ condition: string; alerts: number; perSessionHour: number | null }>;
}

export interface BpAt {
  sbp: number | null;
  dbp: number | null;
  at: string;
  minutesAfterDose: number | null;
  source: 'screening' | 'vitals';
}

/** The SPRAVATO REMS Patient Monitoring Form's content for one session. */
export interface RemsReport {
  session: {
    id: string;
    patient: { id: string; name: string };
    clinician: { id: string; name: string };
    protocol: { name: string; version: number };
    state: SessionState;
    outcome: SessionOutcome;
    scheduledFor: string | null;
    dosedAt: string | null;
    endedAt: string | null;
  };
  dose: { mg: number; route: string; takenAt: string; lot: string | null } | null;
  bloodPressure: {
    beforeDosing: BpAt | null;
    /** The BP closest to the protocol's peak check time (45 min after an oral dose). */
    atPeakCheck: (BpAt & { targetMinutes: number }) | null;
    beforeEnd: BpAt | null;
  };
  sedation: { occurred: boolean; baselineMoaas: number | null; lowestMoaas: number | null };
  dissociation: { occurred: boolean; highestScore: number | null };
  respiratoryDepression: {
    occurred: boolean;
    lowestSpo2: number | null;
    lowestRespRate: number | null;
    limits: { spo2: number; respRate: number };
  };
  totalMonitoringMinutes: number | null;
  readyToLeaveMinutes: number | null;
  concomitantMedicines: { bpRaising: boolean | null; flags: string[] };
  overrides: Array<{
    gate: string;
    reason: string;
    by: string | null;
    byName: string | null;
    at: string;
  }>;
  alerts: Record<AlertPriority, number>;
  abortReason: string | null;
  generatedAt: string;
}

export interface AuditLogQuery {
  actorId?: string;
  patientId?: string;
  /** Exact action, or a prefix ending in `*` (`session.*`). */
  action?: string;
  outcome?: 'success' | 'denied' | 'error';
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

export interface AuditLogEntry {
  seq: number;
  at: string;
  actor: { id: string; role: string | null; name: string | null } | null;
  action: string;
  entityType: string;
  entityId: string | null;
  patientId: string | null;
  outcome: 'success' | 'denied' | 'error';
  sourceIp: string | null;
  detail: Record<string, unknown>;
  hash: string;
}

export const AUDIT_BREAK_REASONS = [
  'head_missing',
  'seq_gap',
  'prev_hash_mismatch',
  'hash_mismatch',
  'beyond_head',
  'head_mismatch',
] as const;
export type AuditBreakReason = (typeof AUDIT_BREAK_REASONS)[number];

export interface AuditVerifyResult {
  ok: boolean;
  checkedRows: number;
  headSeq: number | null;
  headHash: string | null;
  firstBroken: {
    seq: number | null;
    id: string | null;
    reason: AuditBreakReason;
    message: string;
  } | null;
  verifiedAt: string;
  durationMs: number;
}

export interface AccountWithHistory {
  id: string;
  email: string;
  name: string;
  role: string;
  active: boolean;
  createdAt: string;
  deactivatedAt: string | null;
  patientId: string | null;
  assignments: Array<{
    id: string;
    clinicianId: string;
    patientId: string;
    otherName: string;
    validFrom: string;
    validUntil: string | null;
  }>;
}
