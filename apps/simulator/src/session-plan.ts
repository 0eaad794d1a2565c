import { planAdverseEvents, type AdverseRates } from './adverse-events';
import { drawProfile, type SessionPhysiology } from './physiology.model';
import { mixSeed, mulberry32 } from './prng';

/** Minutes of drug effect the model covers; after this the patient sits at baseline. */
export const MODEL_HORIZON_MIN = 240;

export interface SessionPlanInput {
  seed: number;
  /** Which simulated patient (0-based). */
  patientIndex: number;
  /** How many sessions this patient has run in this simulator process. */
  cycle: number;
  rates: AdverseRates;
  speed: number;
  /** The simulated minute after the dose the simulator starts driving at. */
  fromMin: number;
}

/** Same seed, patient and cycle: same patient, same adverse events. */
export function planSession(input: SessionPlanInput): SessionPhysiology {
  const profile = drawProfile(mulberry32(mixSeed(input.seed, input.patientIndex, input.cycle, 1)));
  const events = planAdverseEvents(
    mulberry32(mixSeed(input.seed, input.patientIndex, input.cycle, 2)),
    input.rates,
    { fromMin: input.fromMin, speed: input.speed },
  );
  return { profile, events };
}

/**
 * Where a freshly started demo session begins, so a dozen sessions show every stage at once:
 * the first ones still in screening (negative: minutes before the dose), the rest dosed up to
 * about 2.5 h ago. Load runs start everybody at the dose.
 */
export function staggeredStartMin(patientIndex: number, count: number, stagger: boolean): number {
  if (!stagger || count <= 1) return 0;
  const spread = 150;
  return Math.round(-10 + (patientIndex * (spread + 10)) / (count - 1));
}

/**
 * The BP cuff schedule (CLINICAL.md: at the protocol's peak check, at the end, more often
 * while high): every 15 min for the first 2 h (so 45 min, the oral peak check, is one of
 * them), every 30 min after, every 5 min while high. "High" here is a little wider than the
 * protocol's (SBP >= 180 or DBP >= 110, or a rise >= 40 / >= 25): systolic from 160 or 30 over
 * baseline, so the cuff is never later than the dashboard's staleness rule expects.
 */
export interface CuffBp {
  sbp: number;
  dbp?: number;
}

/** `last` and `baseline` as a pair, or as the systolic value alone (the older call). */
export function nextCuffMinute(
  lastMin: number,
  lastBp: CuffBp | number,
  baselineBp: CuffBp | number,
  peakCheckMin = 45,
): number {
  const last = typeof lastBp === 'number' ? { sbp: lastBp } : lastBp;
  const baseline = typeof baselineBp === 'number' ? { sbp: baselineBp } : baselineBp;
  const diastolicHigh =
    last.dbp !== undefined &&
    (last.dbp >= 110 || (baseline.dbp !== undefined && last.dbp - baseline.dbp >= 25));
  const high = last.sbp >= 160 || last.sbp - baseline.sbp >= 30 || diastolicHigh;
  if (high) return lastMin + 5;
  const step = lastMin < 120 ? 15 : 30;
  const next = (Math.floor(lastMin / step) + 1) * step;
  // The peak check always happens, even when a high spell shifted the grid.
  return lastMin < peakCheckMin && next > peakCheckMin ? peakCheckMin : next;
}

/** Check-ins every 15 simulated minutes from the dose. */
export const CHECKIN_INTERVAL_MIN = 15;

export function nextCheckInMinute(lastMin: number): number {
  return (Math.floor(lastMin / CHECKIN_INTERVAL_MIN) + 1) * CHECKIN_INTERVAL_MIN;
}
