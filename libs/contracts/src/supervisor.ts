import type { AlertPriority } from './domain';

/**
 * Supervisor and audit (contract v1 additions): session history, alert response figures, the
 * REMS-style session report, the audit log viewer and the audit chain's verification. The
 * answers' schemas and the types inferred from them are in supervisor-responses.ts.
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

export const AUDIT_BREAK_REASONS = [
  'head_missing',
  'seq_gap',
  'prev_hash_mismatch',
  'hash_mismatch',
  'beyond_head',
  'head_mismatch',
] as const;
export type AuditBreakReason = (typeof AUDIT_BREAK_REASONS)[number];
