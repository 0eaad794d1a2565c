import type { SessionState } from '@vigil/contracts';
import type { PreDoseScreening } from './pre-dose-gate';
import type { ClinicianOverride } from './reasons';
import type { Instant } from './time';

export interface BpMeasurement {
  sbp: number;
  dbp: number;
  at: Instant;
}

/** What the guards need to know about a session; the API builds it from its records. */
export interface SessionSnapshot {
  state: SessionState;
  screening?: PreDoseScreening | null;
  dosedAt?: Instant | null;
  /** Lifts a no-go pre-dose gate. */
  preDoseOverride?: ClinicianOverride | null;
  /**
   * v2: when this session's last no-go screening was submitted, if it ever had one. Re-measuring
   * waits for the protocol's rest, and only a clinician clears the dose from then on.
   */
  lastNoGoAt?: Instant | null;
  /** Allows sign-off before the end checklist is complete. */
  endOverride?: ClinicianOverride | null;
  latestBp?: BpMeasurement | null;
  /** The BP before `latestBp`, to tell whether BP is falling. */
  previousBp?: BpMeasurement | null;
  /** The latest heart rate: an open `hr_high` alert at a pulse scoring NEWS2 3 blocks the end. */
  latestPulse?: number | null;
  latestMoaas?: number | null;
  latestDissociation?: number | null;
  /** Dissociation self-rating before the dose, when one was taken. */
  baselineDissociation?: number | null;
  /** Condition codes present now (from the alert engine), e.g. 'spo2_low'. */
  openConditions?: readonly string[];
}
