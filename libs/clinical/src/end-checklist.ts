import { scoreNews2 } from './news2';
import { roundReading } from './precision';
import { durationMs, type Protocol } from './protocol';
import { reason, type Reason } from './reasons';
import type { BpMeasurement, SessionSnapshot } from './session-snapshot';
import { isFiniteNumber, MS_PER_MINUTE, toEpochMs, type Instant } from './time';

export type EndChecklistCode =
  | 'min_monitoring'
  | 'bp_acceptable'
  | 'moaas_baseline'
  | 'dissociation_resolved'
  | 'no_breathing_concern';

export interface EndChecklistItem {
  code: EndChecklistCode;
  ok: boolean;
  message: string;
}

export interface EndChecklistResult {
  ready: boolean;
  items: EndChecklistItem[];
  /** The failing items, as reasons. */
  reasons: Reason[];
  minutesSinceDose: number | null;
  /** The REMS "ready to leave" minutes, when ready. */
  readyToLeaveMinutes: number | null;
}

/**
 * Conditions that mean a breathing concern is still open (CLINICAL.md v2): SpO2, resp. rate,
 * shortness of breath, or a NEWS2 parameter scoring 3. MOAA/S <= 3 scores consciousness 3, and
 * one cause, one alert raises it as moaas_low instead of news2_single_3, so it counts here too.
 */
export const BREATHING_CONDITIONS: readonly string[] = [
  'spo2_low',
  'rr_low',
  'symptom_shortness_of_breath',
  'news2_single_3',
  'moaas_low',
];

/**
 * The open alerts that are a breathing concern (CLINICAL.md v2 "Recovery and end"), by condition
 * code: those of BREATHING_CONDITIONS, and a NEWS2 parameter scoring 3 that one cause, one alert
 * raises under its direct rule's name (vital-rules.ts): a pulse >= 131 is an `hr_high` alert and
 * an SBP >= 220 an `sbp_high` one, not `news2_single_3`; they count while the latest value still
 * scores 3. The dashboard names the same alerts as what blocks sign-off.
 */
export function breathingConcerns(
  openConditions: readonly string[],
  latest: { pulse?: number | null; sbp?: number | null },
): string[] {
  const scores = scoreNews2({
    pulse: isFiniteNumber(latest.pulse) ? roundReading('heart_rate', latest.pulse) : null,
    systolic: isFiniteNumber(latest.sbp) ? roundReading('bp_systolic', latest.sbp) : null,
  }).scores;
  return openConditions.filter(
    (c) =>
      BREATHING_CONDITIONS.includes(c) ||
      (c === 'hr_high' && scores.pulse === 3) ||
      (c === 'sbp_high' && scores.systolic_bp === 3),
  );
}

/** Items no clinician override can waive (v2): the 120 minutes and a breathing concern. */
export const UNWAIVABLE_ITEMS: readonly EndChecklistCode[] = [
  'min_monitoring',
  'no_breathing_concern',
];

/** CLINICAL.md "Recovery and end": all must hold before the clinician signs off. */
export function evaluateEndChecklist(
  snapshot: SessionSnapshot,
  now: Instant,
  protocol: Protocol,
): EndChecklistResult {
  const nowMs = toEpochMs(now);
  const dosedMs = toEpochMs(snapshot.dosedAt);
  const minutesSinceDose =
    nowMs !== null && dosedMs !== null ? Math.floor((nowMs - dosedMs) / MS_PER_MINUTE) : null;
  const minMinutes = durationMs(protocol.timings.minMonitoring) / MS_PER_MINUTE;

  const items: EndChecklistItem[] = [
    minutesSinceDose === null
      ? item('min_monitoring', false, 'No dose time is recorded.')
      : item(
          'min_monitoring',
          minutesSinceDose >= minMinutes,
          `${minutesSinceDose} of at least ${minMinutes} minutes since the dose.`,
        ),
    bpItem(snapshot, nowMs, protocol),
    moaasItem(snapshot),
    dissociationItem(snapshot),
    breathingItem(snapshot),
  ];
  const ready = items.every((i) => i.ok);
  return {
    ready,
    items,
    reasons: items.filter((i) => !i.ok).map((i) => reason(i.code, i.message)),
    minutesSinceDose,
    readyToLeaveMinutes: ready ? minutesSinceDose : null,
  };
}

function item(code: EndChecklistCode, ok: boolean, message: string): EndChecklistItem {
  return { code, ok, message };
}

/** v2 precision: the checklist judges BP as the alert rules do, in whole mm[Hg]. */
function roundedBp(bp: BpMeasurement | null | undefined): BpMeasurement | null {
  if (!bp || !isFiniteNumber(bp.sbp) || !isFiniteNumber(bp.dbp)) return null;
  return {
    sbp: roundReading('bp_systolic', bp.sbp),
    dbp: roundReading('bp_diastolic', bp.dbp),
    at: bp.at,
  };
}

function bpItem(snapshot: SessionSnapshot, nowMs: number | null, protocol: Protocol) {
  const latest = roundedBp(snapshot.latestBp);
  if (!latest) {
    return item('bp_acceptable', false, 'No blood pressure has been measured before the end.');
  }
  // A BP is "before the end" only if it is fresh: under one check-in interval (15 min) old.
  const ageMs = nowMs === null ? null : nowMs - (toEpochMs(latest.at) ?? -Infinity);
  const maxAgeMs = durationMs(protocol.timings.checkInInterval);
  if (ageMs === null || ageMs >= maxAgeMs) {
    return item(
      'bp_acceptable',
      false,
      `The last blood pressure is older than ${protocol.timings.checkInInterval.value} minutes: measure again.`,
    );
  }
  const bp = `${latest.sbp}/${latest.dbp}`;
  const base = snapshot.screening;
  // "<= 140/90 or <= the pre-dose value": each a whole reading, never SBP of one and DBP of the other.
  const limits: Array<[number, number]> = [
    [protocol.preDose.cautionSbp.value, protocol.preDose.cautionDbp.value],
  ];
  if (isFiniteNumber(base?.sbp) && isFiniteNumber(base?.dbp)) limits.push([base.sbp, base.dbp]);
  const within = limits.find(([s, d]) => latest.sbp <= s && latest.dbp <= d);
  if (within) {
    return item('bp_acceptable', true, `Blood pressure ${bp} is at or below ${within.join('/')}.`);
  }
  if (isFalling(latest, roundedBp(snapshot.previousBp)) && !atAlertLimit(latest, protocol)) {
    return item('bp_acceptable', true, `Blood pressure ${bp} is falling towards baseline.`);
  }
  return item(
    'bp_acceptable',
    false,
    `Blood pressure ${bp} is not at or below ${limits.map((l) => l.join('/')).join(' nor ')} and not falling.`,
  );
}

function isFalling(latest: BpMeasurement, previous: BpMeasurement | null): boolean {
  if (!previous) return false;
  const ordered = (toEpochMs(previous.at) ?? Infinity) < (toEpochMs(latest.at) ?? -Infinity);
  return ordered && latest.sbp < previous.sbp && latest.dbp <= previous.dbp;
}

function atAlertLimit(bp: BpMeasurement, protocol: Protocol): boolean {
  return bp.sbp >= protocol.alerts.sbpHigh.value || bp.dbp >= protocol.alerts.dbpHigh.value;
}

function moaasItem(snapshot: SessionSnapshot): EndChecklistItem {
  const baseline = snapshot.screening?.moaasBaseline;
  const latest = snapshot.latestMoaas;
  if (!isFiniteNumber(baseline)) {
    return item('moaas_baseline', false, 'No pre-dose MOAA/S is recorded.');
  }
  if (!isFiniteNumber(latest)) return item('moaas_baseline', false, 'No MOAA/S since the dose.');
  return item('moaas_baseline', latest >= baseline, `MOAA/S ${latest}, pre-dose ${baseline}.`);
}

function dissociationItem(snapshot: SessionSnapshot): EndChecklistItem {
  const latest = snapshot.latestDissociation;
  if (!isFiniteNumber(latest)) {
    return item('dissociation_resolved', false, 'No dissociation rating since the dose.');
  }
  const baseline = isFiniteNumber(snapshot.baselineDissociation)
    ? snapshot.baselineDissociation
    : 0;
  return item(
    'dissociation_resolved',
    latest <= baseline,
    `Dissociation ${latest}, baseline ${baseline}.`,
  );
}

function breathingItem(snapshot: SessionSnapshot): EndChecklistItem {
  const open = breathingConcerns(snapshot.openConditions ?? [], {
    pulse: snapshot.latestPulse,
    sbp: snapshot.latestBp?.sbp,
  }).map((c) => (BREATHING_CONDITIONS.includes(c) ? c : `${c} (NEWS2 3)`));
  return item(
    'no_breathing_concern',
    open.length === 0,
    open.length === 0
      ? 'No open SpO2, breathing-rate, shortness-of-breath or NEWS2-3 alert.'
      : `Open breathing alert: ${open.join(', ')}.`,
  );
}
