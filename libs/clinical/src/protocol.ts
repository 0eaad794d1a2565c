import type { AlertPriority } from '@vigil/contracts';
import { MS_PER_MINUTE, MS_PER_SECOND } from './time';
import { MOAAS_HIGH_AT_OR_BELOW } from './emergency';

/**
 * A protocol is data, not code: every threshold, cadence and timing carries the source it
 * comes from (see ../../../../shared/CLINICAL.md) so the clinician sees why a limit is what
 * it is, and can override it per patient with an audited reason (protocol-overrides.ts).
 */
export type ProtocolRoute = 'oral' | 'sublingual' | 'nasal';
export type Comparator = '<' | '<=' | '>' | '>=' | '==';
export type DurationUnit = 'min' | 's';

/** Set by applyOverrides on the entry it changed. */
export interface OverrideMark {
  previous: number | AlertPriority;
  reason: string;
  by: string;
  at: string;
}

export interface SourcedValue {
  value: number;
  unit: string;
  source: string;
  override?: OverrideMark;
}

export interface Duration extends SourcedValue {
  unit: DurationUnit;
}

export interface AlertThreshold extends SourcedValue {
  comparator: Comparator;
  priority: AlertPriority;
}

export interface SourcedPriority {
  priority: AlertPriority;
  source: string;
  override?: OverrideMark;
}

export interface ProtocolTimings {
  checkInInterval: Duration;
  checkInGrace: Duration;
  /** After interval + grace the overdue alert is medium; after this further delay, high. */
  checkInOverdueHighAfter: Duration;
  peakBpCheck: Duration;
  minMonitoring: Duration;
  continuousHoldDelay: Duration;
  /** A reading kind is a continuous stream while readings arrive closer together than this. */
  continuousMaxInterval: Duration;
  heartbeatTimeout: Duration;
  /** v2: a streamed vital-sign alert resolves by itself only after clear for this long. */
  autoResolveClear: Duration;
  /** v2: a condition back within this long of an auto-resolve reopens the same episode. */
  episodeReopenWindow: Duration;
  /** v2: after a pre-dose no-go, the patient may re-measure only after this rest. */
  preDoseRest: Duration;
  /** v2: a NEWS2 parameter older than this counts as missing. */
  news2MaxAge: Duration;
  escalationHigh: Duration;
  escalationMedium: Duration;
  reminderInterval: Duration;
  silenceMax: Duration;
}

/**
 * Pre-dose limits (v2), each with the comparator that trips it: caution SBP 140-159 or DBP
 * 90-99, no-go SBP >= 160 or DBP >= 100 or HR > 100; SpO2 no-go <= 91, caution 92-93.
 */
export interface PreDoseLimit extends SourcedValue {
  comparator: Comparator;
}

export interface PreDoseLimits {
  cautionSbp: PreDoseLimit;
  cautionDbp: PreDoseLimit;
  noGoSbp: PreDoseLimit;
  noGoDbp: PreDoseLimit;
  noGoHr: PreDoseLimit;
  noGoSpo2: PreDoseLimit;
  cautionSpo2: PreDoseLimit;
}

export interface AlertThresholds {
  moaasLow: AlertThreshold;
  /** v2: MOAA/S 3 (responds only when called loudly) raises a medium alert of its own. */
  moaasMedium: AlertThreshold;
  spo2Low: AlertThreshold;
  spo2Borderline: AlertThreshold;
  rrLow: AlertThreshold;
  sbpHigh: AlertThreshold;
  dbpHigh: AlertThreshold;
  sbpRise: AlertThreshold;
  dbpRise: AlertThreshold;
  hrHigh: AlertThreshold;
  news2High: AlertThreshold;
  news2Medium: AlertThreshold;
  news2SingleParameter: AlertThreshold;
  phq9Item9: AlertThreshold;
  phq9Item9NearlyEveryDay: AlertThreshold;
}

export interface AlertPriorities {
  help: SourcedPriority;
  emergencySymptom: SourcedPriority;
  otherSymptom: SourcedPriority;
  checkInOverdue: SourcedPriority;
  checkInOverdueEscalated: SourcedPriority;
  deviceOffline: SourcedPriority;
  preDoseCautionBeforeDose: SourcedPriority;
  preDoseCautionDosed: SourcedPriority;
  /** v2: dose blocked, awaiting the clinician's decision. */
  preDoseNoGo: SourcedPriority;
  /** v2: MOAA/S 4 below a pre-dose 5, the expected ketamine effect. */
  sedation: SourcedPriority;
}

export interface Protocol {
  id: string;
  name: string;
  version: number;
  route: ProtocolRoute;
  timings: ProtocolTimings;
  preDose: PreDoseLimits;
  alerts: AlertThresholds;
  priorities: AlertPriorities;
}

export const SOURCES = {
  session: 'CLINICAL.md "A session, start to end" (Vigil default; clinician sign-off required)',
  alertTable:
    'CLINICAL.md "Alerts: what raises what" table (Vigil default, IEC 60601-1-8 priorities)',
  pharmacology:
    'CLINICAL.md "Pharmacology": oral Tmax 0.75-1 h (Chong et al. 2006, Rolan et al. 2014); esketamine BP peak ~40 min (SPRAVATO PI)',
  rems: 'SPRAVATO REMS: monitor at least 2 hours after the dose (CLINICAL.md)',
  spravatoBp:
    'SPRAVATO PI: 8-19% rose >= 40 mmHg systolic and/or >= 25 mmHg diastolic (CLINICAL.md)',
  labelCaution:
    'SPRAVATO PI: weigh a delay at SBP 140-159 or DBP 90-99 (CLINICAL.md v2 pre-dose screening)',
  homeNoGo:
    'Home-provider rule (Mindbloom, Isha Health, Choose Ketamine): no-go at SBP >= 160, DBP >= 100 or HR > 100 (CLINICAL.md v2)',
  spo2Screening: 'CLINICAL.md v2 pre-dose screening: SpO2 required, no-go <= 91 %, caution 92-93 %',
  alarmHysteresis:
    'CLINICAL.md v2 alarm fatigue: auto-resolve after 60 s clear, a return within 10 min reopens the episode',
  news2Age: 'CLINICAL.md v2 NEWS2: values older than 15 min count as missing',
  alarmDelay:
    'Lansdowne et al. 2016, Joint Commission SEA 50: 15 s delay (CLINICAL.md alarm fatigue)',
  alarmLifecycle: 'CLINICAL.md alarm fatigue: escalation, reminders, silence at most 2 minutes',
  news2Response: 'RCP NEWS2 chart 4 clinical response (CLINICAL.md)',
  designDefault: 'Vigil design default, not in CLINICAL.md (clinician sign-off required)',
} as const;

function minutes(value: number, source: string): Duration {
  return { value, unit: 'min', source };
}

function seconds(value: number, source: string): Duration {
  return { value, unit: 's', source };
}

function limit(comparator: Comparator, value: number, unit: string, source: string): PreDoseLimit {
  return { comparator, value, unit, source };
}

function rule(
  comparator: Comparator,
  value: number,
  unit: string,
  priority: AlertPriority,
  source: string,
): AlertThreshold {
  return { comparator, value, unit, priority, source };
}

function prio(priority: AlertPriority, source: string): SourcedPriority {
  return { priority, source };
}

/** Factory for a fresh default protocol; only the peak BP check differs by route. */
export function createDefaultProtocol(route: ProtocolRoute): Protocol {
  const S = SOURCES;
  return {
    id: `vigil-default-${route}`,
    name: `Vigil default (${route})`,
    // v2 (CLINICAL.md version 2): pre-dose limits with comparators, MOAA/S 3 medium, sedation
    // informational, hysteresis and episodes, the pre-dose rest.
    version: 2,
    route,
    timings: {
      checkInInterval: minutes(15, S.session),
      checkInGrace: minutes(5, S.alertTable),
      checkInOverdueHighAfter: minutes(5, S.alertTable),
      peakBpCheck: minutes(route === 'nasal' ? 40 : 45, S.pharmacology),
      minMonitoring: minutes(120, S.rems),
      continuousHoldDelay: seconds(15, S.alarmDelay),
      continuousMaxInterval: seconds(30, S.designDefault),
      heartbeatTimeout: seconds(60, S.alertTable),
      autoResolveClear: seconds(60, S.alarmHysteresis),
      episodeReopenWindow: minutes(10, S.alarmHysteresis),
      preDoseRest: minutes(10, S.session),
      news2MaxAge: minutes(15, S.news2Age),
      escalationHigh: minutes(2, S.alarmLifecycle),
      escalationMedium: minutes(5, S.alarmLifecycle),
      reminderInterval: minutes(2, S.designDefault),
      silenceMax: minutes(2, S.alarmLifecycle),
    },
    preDose: {
      cautionSbp: limit('>=', 140, 'mm[Hg]', S.labelCaution),
      cautionDbp: limit('>=', 90, 'mm[Hg]', S.labelCaution),
      noGoSbp: limit('>=', 160, 'mm[Hg]', S.homeNoGo),
      noGoDbp: limit('>=', 100, 'mm[Hg]', S.homeNoGo),
      noGoHr: limit('>', 100, '/min', S.homeNoGo),
      noGoSpo2: limit('<=', 91, '%', S.spo2Screening),
      cautionSpo2: limit('<=', 93, '%', S.spo2Screening),
    },
    alerts: {
      moaasLow: rule('<=', MOAAS_HIGH_AT_OR_BELOW, '{score}', 'high', S.alertTable),
      moaasMedium: rule('<=', 3, '{score}', 'medium', S.alertTable),
      spo2Low: rule('<=', 91, '%', 'high', S.alertTable),
      spo2Borderline: rule('<=', 93, '%', 'medium', S.alertTable),
      rrLow: rule('<=', 8, '/min', 'high', S.alertTable),
      sbpHigh: rule('>=', 180, 'mm[Hg]', 'high', S.alertTable),
      dbpHigh: rule('>=', 110, 'mm[Hg]', 'high', S.alertTable),
      sbpRise: rule('>=', 40, 'mm[Hg]', 'medium', S.spravatoBp),
      dbpRise: rule('>=', 25, 'mm[Hg]', 'medium', S.spravatoBp),
      hrHigh: rule('>', 120, '/min', 'medium', S.alertTable),
      news2High: rule('>=', 7, '{score}', 'high', S.news2Response),
      news2Medium: rule('>=', 5, '{score}', 'medium', S.news2Response),
      news2SingleParameter: rule('>=', 3, '{score}', 'medium', S.news2Response),
      phq9Item9: rule('>', 0, '{score}', 'medium', S.alertTable),
      // Items score 0-3, so ">= 3" is "nearly every day".
      phq9Item9NearlyEveryDay: rule('>=', 3, '{score}', 'high', S.alertTable),
    },
    priorities: {
      help: prio('high', S.alertTable),
      emergencySymptom: prio('high', S.alertTable),
      otherSymptom: prio('info', S.designDefault),
      checkInOverdue: prio('medium', S.alertTable),
      checkInOverdueEscalated: prio('high', S.alertTable),
      deviceOffline: prio('low', S.alertTable),
      preDoseCautionBeforeDose: prio('info', S.alertTable),
      preDoseCautionDosed: prio('medium', S.alertTable),
      preDoseNoGo: prio('medium', S.alertTable),
      sedation: prio('info', S.alertTable),
    },
  };
}

export const DEFAULT_ORAL_PROTOCOL: Protocol = createDefaultProtocol('oral');
export const DEFAULT_SUBLINGUAL_PROTOCOL: Protocol = createDefaultProtocol('sublingual');
export const DEFAULT_NASAL_PROTOCOL: Protocol = createDefaultProtocol('nasal');

export function durationMs(duration: Duration): number {
  return duration.value * (duration.unit === 'min' ? MS_PER_MINUTE : MS_PER_SECOND);
}

export function compare(value: number, comparator: Comparator, limitValue: number): boolean {
  switch (comparator) {
    case '<':
      return value < limitValue;
    case '<=':
      return value <= limitValue;
    case '>':
      return value > limitValue;
    case '>=':
      return value >= limitValue;
    case '==':
      return value === limitValue;
  }
}

/** True when the value crosses the threshold. */
export function breaches(value: number, threshold: Comparable): boolean {
  return compare(value, threshold.comparator, threshold.value);
}

/**
 * "SBP 186 > 180", "SpO2 91 <= 91": the relation actually observed, so the message names the
 * value and the limit crossed. At the limit itself the rule's own comparator is shown.
 */
export function describeBreach(label: string, value: number, threshold: Comparable): string {
  return `${label} ${formatNumber(value)} ${relation(value, threshold)} ${formatNumber(threshold.value)}`;
}

/** '>' or '<' when the value is past the limit, the rule's own comparator when it is at it. */
export function relation(value: number, threshold: Comparable): string {
  if (value === threshold.value) return threshold.comparator === '==' ? '=' : threshold.comparator;
  return value > threshold.value ? '>' : '<';
}

export interface Comparable {
  comparator: Comparator;
  value: number;
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 10) / 10);
}

export const PRIORITY_RANK: Readonly<Record<AlertPriority, number>> = {
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
};

export function higherPriority(a: AlertPriority, b: AlertPriority): AlertPriority {
  return PRIORITY_RANK[a] >= PRIORITY_RANK[b] ? a : b;
}

/**
 * A protocol document stored before version 2 lacks the v2 entries (and its pre-dose limits
 * have no comparators): a session pinned to one is judged by the v2 default of its route, since
 * v1 left the alert lifecycle open in the ways CLINICAL.md v2 corrects.
 */
export function upgradeProtocol(document: Protocol): Protocol {
  if (document.version >= 2 && document.alerts.moaasMedium && document.preDose.noGoSpo2) {
    return document;
  }
  return createDefaultProtocol(document.route ?? 'oral');
}
