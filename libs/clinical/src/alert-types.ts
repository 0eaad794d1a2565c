import type { AlertPriority, ReadingKind, SessionState, SymptomCode } from '@vigil/contracts';
import type { Instant } from './time';

/** CLINICAL.md alert table: the symptoms that raise a high alert at once. */
export const EMERGENCY_SYMPTOMS: readonly SymptomCode[] = [
  'chest_pain',
  'shortness_of_breath',
  'severe_headache',
  'vision_change',
  'seizure',
  'diminished_consciousness',
  'focal_weakness',
];

export type VitalConditionCode =
  | 'spo2_low'
  | 'rr_low'
  | 'sbp_high'
  | 'dbp_high'
  | 'sbp_rise'
  | 'dbp_rise'
  | 'hr_high'
  | 'moaas_low'
  | 'news2_high'
  | 'news2_medium'
  | 'news2_single_3'
  | 'predose_caution';

/** Present until a clinician clears them with clearLatched. */
export type LatchedConditionCode = 'help' | 'phq9_item9' | `symptom_${SymptomCode}`;

export type TimeConditionCode = 'checkin_overdue' | 'device_offline';

export type ConditionCode = VitalConditionCode | LatchedConditionCode | TimeConditionCode;

/** One condition present now. At most one per code; `since` is when it began (ISO 8601). */
export interface Condition {
  condition: ConditionCode;
  priority: AlertPriority;
  message: string;
  value?: number;
  limit?: number;
  since: string;
}

/** A contracts SessionEvent fits; so does the engine-only 'screening.submitted'. */
export interface EngineEvent {
  type: string;
  at: Instant;
  data?: unknown;
}

export interface BaselineVitals {
  sbp: number;
  dbp: number;
  hr: number;
}

export interface AlertEngineContext {
  baseline: BaselineVitals | null;
  preDoseMoaas?: number | null;
  dosedAt?: Instant | null;
  lastCheckInAt?: Instant | null;
  lastHeartbeatAt?: Instant | null;
  sessionState?: SessionState | null;
  /** NEWS2 scores supplemental oxygen only when known; otherwise it is listed as missing. */
  supplementalOxygen?: boolean | null;
  protocol?: { id: string; version: number };
}

export interface KindReading {
  value: number;
  /** Epoch ms when measured. */
  at: number;
  /** The previous reading of this kind came less than the protocol's stream interval before. */
  continuous: boolean;
}

/** A threshold level currently crossed: when it began, and whether it has been shown. */
export interface HoldEntry {
  start: number;
  shown: boolean;
}

/**
 * Everything the engine remembers: last value per kind, pending holds, latched conditions.
 * Plain JSON (numbers are epoch ms), so the API can persist it; its size does not grow with
 * the number of events.
 */
export interface AlertEngineState {
  protocolRef: { id: string; version: number } | null;
  baseline: BaselineVitals | null;
  preDoseMoaas: number | null;
  supplementalOxygen: boolean | null;
  sessionState: SessionState | null;
  clock: number | null;
  dosedAt: number | null;
  monitoringStartedAt: number | null;
  lastCheckInAt: number | null;
  lastHeartbeatAt: number | null;
  readings: Partial<Record<ReadingKind, KindReading>>;
  moaas: { value: number; at: number } | null;
  /** condition code -> level key -> hold. */
  holds: Partial<Record<string, Partial<Record<string, HoldEntry>>>>;
  latched: Partial<Record<string, Condition>>;
}

export interface EngineResult {
  state: AlertEngineState;
  conditions: Condition[];
}
