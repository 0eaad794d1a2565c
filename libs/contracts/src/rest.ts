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
