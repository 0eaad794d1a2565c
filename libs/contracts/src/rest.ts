import type { Role, SessionState } from './domain';
import type { SessionEvent } from './session-events';
import type { OverrideInForce } from './session-flow';

export interface UserSummary {
  id: string;
  role: Role;
  name: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export interface LoginResponse extends TokenPair {
  user: UserSummary;
}

export interface SessionSummary {
  id: string;
  patient: { id: string; name: string };
  clinician: { id: string; name: string };
  state: SessionState;
  protocol: { id: string; name: string; version: number };
  scheduledFor: string | null;
  dosedAt: string | null;
  endedAt: string | null;
  headSeq: number;
  /** v1.1: the patient's protocol overrides in force (CLINICAL.md v2 bounded settings). */
  overrides?: OverrideInForce[];
  /**
   * v1.2: the care team's phone number (operator setting CARE_TEAM_PHONE), on GET /api/sessions
   * and GET /api/sessions/:id; null when the clinic has not set one.
   */
  careTeamPhone?: string | null;
}

/**
 * Who to call about a session (issue 12): the patient's own phone and the support person's, the
 * latter as attested at this session's latest screening, else as on the patient's record. Every
 * read is audited (`session.contacts.read`), like any read of patient data.
 */
export interface SessionContacts {
  patient: { name: string; phone: string | null };
  supportPerson: { name: string | null; phone: string | null; from: 'screening' | 'record' | null };
}

export interface SessionEventsResponse {
  events: SessionEvent[];
  headSeq: number;
}

export interface SubmissionResult {
  seq: number;
  duplicate: boolean;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

export interface HealthResponse {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
  version: string;
}
