import type { ReadingKind } from '@vigil/contracts';
import { isContinuousReading } from './alert-events';
import { scoreNews2, type News2Input } from './news2';
import { OVERRIDABLE_SETTINGS, type OverridableSetting } from './protocol-overrides';
import { roundReading } from './precision';
import {
  breaches,
  DEFAULT_ORAL_PROTOCOL,
  PRIORITY_RANK,
  type AlertThreshold,
  type AlertThresholds,
  type Protocol,
} from './protocol';

/** The alert rules that judge one reading of each kind by itself (vital-rules.ts). */
const OWN_RULES: Readonly<Record<ReadingKind, ReadonlyArray<keyof AlertThresholds>>> = {
  heart_rate: ['hrHigh'],
  bp_systolic: ['sbpHigh'],
  bp_diastolic: ['dbpHigh'],
  spo2: ['spo2Low', 'spo2Borderline'],
  resp_rate: ['rrLow'],
  temperature: [],
};

/** The NEWS2 parameter a reading of each kind scores (diastolic BP is not one). */
const NEWS2_INPUT: Readonly<Record<ReadingKind, keyof News2Input | null>> = {
  heart_rate: 'pulse',
  bp_systolic: 'systolic',
  bp_diastolic: null,
  spo2: 'spo2',
  resp_rate: 'respRate',
  temperature: 'temperature',
};

const BOUNDED: readonly OverridableSetting[] = Object.values(OVERRIDABLE_SETTINGS);

/**
 * The rule with its limit moved as far as a per-patient override may move it towards the reading
 * (CLINICAL.md "Locked and bounded settings"): the lowest SBP high limit (160), the highest SpO2
 * low limit (94), ... Whether this patient has such an override is a database read the caller
 * cannot afford, so the loosest bound stands for every patient.
 */
function loosest(key: keyof AlertThresholds, protocol: Protocol): AlertThreshold {
  const rule = protocol.alerts[key];
  const bounds = BOUNDED.find((s) => s.section === 'alerts' && s.key === key);
  if (!bounds) return rule;
  const upward = rule.comparator === '>' || rule.comparator === '>=';
  return {
    ...rule,
    value: upward ? Math.min(rule.value, bounds.min) : Math.max(rule.value, bounds.max),
  };
}

const alarming = (rule: AlertThreshold) => PRIORITY_RANK[rule.priority] >= PRIORITY_RANK.medium;

/**
 * Whether this reading, by itself, may raise a medium or high alert under CLINICAL.md v2 for
 * some patient on this protocol: a direct limit of the alert table (SpO2, resp. rate, SBP, DBP,
 * HR high) at the loosest bound an override allows, or a NEWS2 parameter scoring 3. Used where a
 * reading is judged before anything is known of its session (admission control at the door, the
 * alert engine's queue), so it errs wide: a false "may alert" costs a place in a queue, a missed
 * one delays an alert.
 *
 * What it cannot see, on purpose: an SBP/DBP rise over the session's pre-dose baseline (40/25
 * mmHg; the baseline is in the database, and a rise to >= 160 systolic or >= 100 diastolic is
 * caught by the limits above anyway) and a NEWS2 total of 5 or 7 built from several parameters.
 * Those readings stay routine: refused under overload they are sent again by the phone's outbox,
 * late but not lost. Rounded first, as the rules round (CLINICAL.md v2 "Precision"); the
 * continuous streams' hold delay is ignored (the reading that ends the hold must not wait).
 */
export function readingMayAlert(
  reading: { kind: ReadingKind; value: number },
  protocol: Protocol = DEFAULT_ORAL_PROTOCOL,
): boolean {
  const value = roundReading(reading.kind, reading.value);
  for (const key of OWN_RULES[reading.kind]) {
    const rule = loosest(key, protocol);
    if (alarming(rule) && breaches(value, rule)) return true;
  }
  const parameter = NEWS2_INPUT[reading.kind];
  const single = protocol.alerts.news2SingleParameter;
  if (parameter === null || !alarming(single)) return false;
  const scores = Object.values(scoreNews2({ [parameter]: value }).scores);
  return scores.some((score) => breaches(score, single));
}

/** True when any of the readings may alert (readingMayAlert). */
export function readingsMayAlert(
  readings: Iterable<{ kind: ReadingKind; value: number }>,
  protocol: Protocol = DEFAULT_ORAL_PROTOCOL,
): boolean {
  for (const r of readings) if (readingMayAlert(r, protocol)) return true;
  return false;
}

/**
 * True when one of the readings may raise a medium or high alert as soon as it is judged: one
 * that may alert (readingMayAlert) and is discrete (BP, resp. rate, temperature; SpO2 or heart
 * rate typed in by hand). A continuous stream's reading (SpO2 and heart rate from a device)
 * raises nothing before its condition has held for the stream delay (at least 5 s, 15 s by
 * default: CLINICAL.md "Locked and bounded settings"), so the alert engine judges it on its
 * cadence, a fraction of a second later, with the routine readings. Judged as urgent, an
 * oximeter reading at a limit (SpO2 94, the loosest bound an override allows) started an engine
 * pass of its own every few submissions (issue 15: 0.17 passes per event at 500 patients).
 */
export function readingsMayAlertAtOnce(
  readings: Iterable<{ kind: ReadingKind; value: number; source?: string }>,
  protocol: Protocol = DEFAULT_ORAL_PROTOCOL,
): boolean {
  for (const r of readings)
    if (!isContinuousReading(r) && readingMayAlert(r, protocol)) return true;
  return false;
}
