import {
  EMERGENCY_SYMPTOM_CODES,
  type AlertPriority,
  type ReadingKind,
  type SessionState,
  type SymptomCode,
} from '@vigil/contracts';
import type { Instant } from './time';

/** CLINICAL.md alert table: the symptoms that raise a high alert at once. */
export const EMERGENCY_SYMPTOMS: readonly SymptomCode[] = EMERGENCY_SYMPTOM_CODES;

/**
 * v2: a BP rise is a level of `sbp_high` / `dbp_high` (one cause, one alert), MOAA/S 3 is the
 * medium level of `moaas_low`, and MOAA/S 4 below a pre-dose 5 is the informational `sedation`.
 */
export type VitalConditionCode =
  | 'spo2_low'
  | 'rr_low'
  | 'sbp_high'
  | 'dbp_high'
  | 'hr_high'
  | 'moaas_low'
  | 'sedation'
  | 'news2_high'
  | 'news2_medium'
  | 'news2_single_3'
  | 'predose_caution';

/** Codes v1 raised and stored alerts may still carry; v2 folds them into sbp_high / dbp_high. */
export type LegacyConditionCode = 'sbp_rise' | 'dbp_rise';

/** Present until a clinician clears them (clearLatched), or for a no-go, overrides or aborts. */
export type LatchedConditionCode =
  'help' | 'phq9_item9' | 'predose_no_go' | `symptom_${SymptomCode}`;

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
  /** Latched conditions: how many times it was reported (help presses, symptom reports). */
  count?: number;
}

/** A contracts SessionEvent fits; so does the engine-only 'screening.submitted'. */
export interface EngineEvent {
  type: string;
  at: Instant;
  data?: unknown;
  /**
   * The event's place in the session log. A phone uploads late from its outbox, so a reading can
   * be measured before a clinician's resolve and reach the server after it: the resolve barrier
   * judges discrete readings by their place in the log (alert-resolves.ts).
   */
  seq?: number;
  /**
   * The account that sent it (a patient's phone, a clinician's browser), if known: with a paired
   * device's id in the data, it names the clock that dated its readings (`readingOrigin`).
   */
  actorId?: string | null;
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
  /** Rounded to the unit's precision (precision.ts); the raw value stays in the event log. */
  value: number;
  /** Epoch ms when measured, never after the event that brought it (capped at its time). */
  at: number;
  /**
   * When measured by its origin's clock, where that was later than `at` (a phone clock running
   * fast, capped): it orders two readings of one origin that `at` ties. Absent otherwise.
   */
  measuredAt?: number;
  /**
   * When the server committed the event that brought it (epoch ms): the reading is no older than
   * the time since, whatever the phone's clock said (NEWS2 freshness, vital-rules.ts). Absent in
   * states stored before it was kept (then `at` is used).
   */
  committedAt?: number;
  /**
   * v1.14: how long it had waited on the phone when it arrived (the submission's `sentAt` less
   * its `measuredAt`, both by the phone's clock): NEWS2 ages it from `committedAt - waitedMs`.
   * Absent without a `sentAt` (it counts from its commit) and in states stored before it was kept.
   */
  waitedMs?: number;
  /**
   * The seq of the event that brought it (EngineEvent.seq); absent in engine states stored before
   * it was kept and in events without one: the barrier then counts the measured time.
   */
  seq?: number;
  /** SpO2 or heart rate from a device (no `source`, or `source: "device"`): a continuous stream. */
  continuous: boolean;
  /**
   * When the current stream of this kind began, for the hold delay: its first reading, or the one
   * after a gap; a reading after a gap that follows a lone reading (a sparse device) continues it.
   */
  streamStart: number;
  /**
   * The first of the readings up to this one with no gap longer than the stream interval between
   * them; equal to `at` for a lone reading. Absent in states stored before it was kept (then
   * `streamStart` is it).
   */
  burstStart?: number;
  /**
   * Engine time (epoch ms) when it came in; cleared when a reading of its kind measured earlier
   * comes after it. A lone device reading holds once nothing newer has come for the delay
   * (vital-rules.ts). Absent in states stored before it was kept.
   */
  receivedAt?: number;
  /**
   * Whose clock dated it: `device:<id>` (a paired device) or `account:<id>` (the phone or browser
   * that sent it); absent when not known (states stored before it was kept, events without either),
   * which orders as before, by measured time against whatever came last.
   */
  origin?: string;
  /**
   * The last reading of this kind from each other origin, by that origin's own clock: a reading is
   * older than the latest only within its own origin (ingestReading).
   */
  otherOrigins?: Partial<Record<string, OriginMark>>;
}

/** What one origin's next reading of a kind is judged against: its own last one. */
export type OriginMark = Pick<
  KindReading,
  'at' | 'measuredAt' | 'continuous' | 'streamStart' | 'burstStart'
>;

/**
 * What the engine remembers of one vital condition: when each crossed level began (stream time,
 * for the hold delay), the condition as last shown, and since when it has been clear while
 * still shown (the auto-resolve hysteresis).
 */
export interface ConditionTrack {
  starts: Partial<Record<string, number>>;
  shownKeys: string[];
  shown: Condition | null;
  clearSince: number | null;
}

/**
 * A clinician's resolve of a vital condition: when (epoch ms, the injected clock) and at which
 * priority. Evidence up to that moment has been judged; only later evidence raises it again.
 */
export interface ManualResolve {
  at: number;
  priority: AlertPriority;
  /** The seq of the clinician's `alert.resolved` event, once the engine has read it in the log. */
  seq?: number;
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
  /** When the session reached dosed or monitoring (the device-never-connected clock). */
  monitoringStartedAt: number | null;
  /** The last check-in that carried MOAA/S: one without it does not count (v2). */
  lastCheckInAt: number | null;
  lastHeartbeatAt: number | null;
  readings: Partial<Record<ReadingKind, KindReading>>;
  /** The last MOAA/S, with the seq of the check-in that brought it (a resolve barrier's order). */
  moaas: { value: number; at: number; seq?: number } | null;
  /** condition code -> its track (holds, what was shown, hysteresis). */
  holds: Partial<Record<string, ConditionTrack>>;
  latched: Partial<Record<string, Condition>>;
  /**
   * The reports of each latched condition applied since its alert last announced them, folded as
   * `latched` folds them (their count, their first report's time). A clinician's resolve cannot
   * have covered them: it clears only the rest (clearLatched), and these raise an alert of their
   * own. The pass that judges the state announces every latch (announceLatched), so a stored state
   * holds none; optional, as states stored before it was kept lack it.
   */
  unannounced?: Partial<Record<string, Condition>>;
  /**
   * condition code -> the last clinician resolve (alert-resolves.ts). Optional: engine states
   * stored before it existed lack it, and the alerts table restores it (noteManualResolves).
   */
  manualResolves?: Partial<Record<string, ManualResolve>>;
}

export interface EngineResult {
  state: AlertEngineState;
  conditions: Condition[];
}
