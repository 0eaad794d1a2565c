import type { ReadingSource } from '@vigil/contracts';
import { durationMs, type Protocol } from './protocol';
import { MS_PER_MINUTE, MS_PER_SECOND, toEpochMs, type Instant } from './time';

/**
 * CLINICAL.md v2 "Stale data is never shown as live": a value is stale once it is older than
 * its kind's expected interval plus grace. The interval is the one in force when the value was
 * taken, so a value that arrived on schedule is never marked stale before the next one is due.
 *
 * - Streamed SpO2 and HR (`source` absent or `device`): 30 s.
 * - BP: the BP schedule at the time it was taken (every 15 min until 2 h after the dose, every
 *   30 min after, every 5 min while high: SBP >= 180 or DBP >= 110, or a rise >= 40 / >= 25
 *   over the pre-dose value) plus 5 min grace.
 * - A check-in: the check-in interval plus its grace (15 + 5 min).
 *
 * Two kinds CLINICAL.md leaves open, chosen here (clinician sign-off required):
 * - SpO2 or HR typed in by hand (`source: 'manual'`) is a spot reading taken with a BP check
 *   (the phone's BP form asks for them together), so it is expected again at the next routine
 *   BP check: the BP schedule's routine interval at that time (15 or 30 min) plus the BP grace.
 *   The 5-minute "while high" cadence is a BP rule and does not apply to it.
 * - Resp. rate and temperature: no device streams them; they are counted at check-ins, so they
 *   follow the check-in cadence (15 + 5 min).
 */
export type StalenessKind = 'spo2' | 'heart_rate' | 'bp' | 'resp_rate' | 'temperature' | 'checkin';

export interface StalenessRules {
  streamMs: number;
  bpRoutineEarlyMs: number;
  bpRoutineLateMs: number;
  /** Time after the dose from which the routine BP interval is the late one (2 h). */
  bpEarlyPeriodMs: number;
  bpWhileHighMs: number;
  bpGraceMs: number;
  /** "While high": at or above these (>=), or a rise at or above these over the pre-dose BP. */
  bpHigh: { sbp: number; dbp: number; sbpRise: number; dbpRise: number };
  checkInIntervalMs: number;
  checkInGraceMs: number;
}

export const STALENESS_SOURCE =
  'CLINICAL.md v2 "Stale data is never shown as live" (manual SpO2/HR, resp. rate and temperature: Vigil design default, clinician sign-off required)';

export const DEFAULT_STALENESS_RULES: Readonly<StalenessRules> = {
  streamMs: 30 * MS_PER_SECOND,
  bpRoutineEarlyMs: 15 * MS_PER_MINUTE,
  bpRoutineLateMs: 30 * MS_PER_MINUTE,
  bpEarlyPeriodMs: 120 * MS_PER_MINUTE,
  bpWhileHighMs: 5 * MS_PER_MINUTE,
  bpGraceMs: 5 * MS_PER_MINUTE,
  bpHigh: { sbp: 180, dbp: 110, sbpRise: 40, dbpRise: 25 },
  checkInIntervalMs: 15 * MS_PER_MINUTE,
  checkInGraceMs: 5 * MS_PER_MINUTE,
};

/**
 * The rules with the protocol's (possibly overridden per patient) BP limits and check-in
 * timings: a patient whose SBP limit is lowered to 160 is also expected to be measured every
 * 5 minutes from 160.
 */
export function stalenessRules(protocol: Protocol): StalenessRules {
  const a = protocol.alerts;
  return {
    ...DEFAULT_STALENESS_RULES,
    bpHigh: {
      sbp: a.sbpHigh.value,
      dbp: a.dbpHigh.value,
      sbpRise: a.sbpRise.value,
      dbpRise: a.dbpRise.value,
    },
    checkInIntervalMs: durationMs(protocol.timings.checkInInterval),
    checkInGraceMs: durationMs(protocol.timings.checkInGrace),
  };
}

/** One value to judge: its kind, when it was measured and what the rule needs to know. */
export type StaleSubject =
  | { kind: 'spo2' | 'heart_rate'; measuredAt: Instant; source?: ReadingSource }
  | { kind: 'bp'; measuredAt: Instant; sbp?: number | null; dbp?: number | null }
  | { kind: 'resp_rate' | 'temperature' | 'checkin'; measuredAt: Instant };

export interface StalenessContext {
  /** When the dose was taken; before it (or without one) the early BP interval applies. */
  dosedAt?: Instant | null;
  /** The pre-dose BP, for "a rise over the pre-dose value". */
  preDose?: { sbp?: number | null; dbp?: number | null } | null;
}

const round = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : null;

/** True when the BP pair is high enough for the 5-minute cadence (rounded, as the rules are). */
export function bpIsHigh(
  bp: { sbp?: number | null; dbp?: number | null },
  preDose: StalenessContext['preDose'],
  rules: StalenessRules = DEFAULT_STALENESS_RULES,
): boolean {
  const sbp = round(bp.sbp);
  const dbp = round(bp.dbp);
  const preSbp = round(preDose?.sbp);
  const preDbp = round(preDose?.dbp);
  const h = rules.bpHigh;
  return (
    (sbp !== null && sbp >= h.sbp) ||
    (dbp !== null && dbp >= h.dbp) ||
    (sbp !== null && preSbp !== null && sbp - preSbp >= h.sbpRise) ||
    (dbp !== null && preDbp !== null && dbp - preDbp >= h.dbpRise)
  );
}

/** The routine BP interval at `at`: 15 min until 2 h after the dose (and before it), 30 after. */
function routineBpIntervalMs(at: number, context: StalenessContext, rules: StalenessRules) {
  const dose = toEpochMs(context.dosedAt);
  const late = dose !== null && at - dose >= rules.bpEarlyPeriodMs;
  return late ? rules.bpRoutineLateMs : rules.bpRoutineEarlyMs;
}

/**
 * How long the value stays fresh after it was measured (expected interval plus grace); null
 * when its time cannot be read.
 */
export function freshForMs(
  subject: StaleSubject,
  context: StalenessContext = {},
  rules: StalenessRules = DEFAULT_STALENESS_RULES,
): number | null {
  const at = toEpochMs(subject.measuredAt);
  if (at === null) return null;
  switch (subject.kind) {
    case 'spo2':
    case 'heart_rate':
      if (subject.source !== 'manual') return rules.streamMs;
      return routineBpIntervalMs(at, context, rules) + rules.bpGraceMs;
    case 'bp': {
      const interval = bpIsHigh(subject, context.preDose, rules)
        ? rules.bpWhileHighMs
        : routineBpIntervalMs(at, context, rules);
      return interval + rules.bpGraceMs;
    }
    case 'resp_rate':
    case 'temperature':
    case 'checkin':
      return rules.checkInIntervalMs + rules.checkInGraceMs;
  }
}

/** Epoch ms after which the value is stale (it is still fresh at this very instant). */
export function staleAfter(
  subject: StaleSubject,
  context: StalenessContext = {},
  rules: StalenessRules = DEFAULT_STALENESS_RULES,
): number | null {
  const at = toEpochMs(subject.measuredAt);
  const fresh = freshForMs(subject, context, rules);
  return at === null || fresh === null ? null : at + fresh;
}

/** Stale: older than its expected interval plus grace. A value with no readable time is stale. */
export function isValueStale(
  subject: StaleSubject,
  now: Instant,
  context: StalenessContext = {},
  rules: StalenessRules = DEFAULT_STALENESS_RULES,
): boolean {
  const limit = staleAfter(subject, context, rules);
  const nowMs = toEpochMs(now);
  return limit === null || nowMs === null || nowMs > limit;
}
