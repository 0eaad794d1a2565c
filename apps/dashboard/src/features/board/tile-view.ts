import type { ReadingKind, SessionSummary } from '@vigil/contracts';
import type { News2Result } from '@vigil/clinical';
import { unresolvedAlerts } from '../alerts/alert-logic';
import { checkInDue } from '../../read-model/check-in-due';
import { news2ChangesAt, news2For } from '../../read-model/news2-input';
import {
  countedAt,
  emptySessionModel,
  type AlertRecord,
  type SessionModel,
} from '../../read-model/session-model';
import {
  staleAfter,
  stalenessRules,
  type StaleSubject,
  type StalenessContext,
  type StalenessRules,
} from '@vigil/clinical';
import {
  overridesOf,
  protocolWithOverrides,
  type OverrideInForceView,
} from '../../read-model/overrides-in-force';
import { minutesBetween, stalenessContext } from '../../read-model/staleness';
import { news2Level, type RiskFacts } from './risk-sort';

export interface VitalView {
  key: string;
  label: string;
  value: string | null;
  unit: string;
  /**
   * When the value was measured (epoch ms): the screen works its age out on each tick of its
   * clock, so a tick that changes no fact leaves the view (and the memoised tile) as it was.
   */
  measuredAt: number | null;
  stale: boolean;
}

/**
 * The check-in's schedule. How long it is overdue is the screen's to count from `dueAt` (as the
 * ages are): a view holding it would change on every tick for every late session.
 */
export interface TileCheckIn {
  lastAt: string | null;
  /** Epoch ms the next check-in is due; null before the dose. */
  dueAt: number | null;
  overdue: boolean;
}

export interface TileView extends RiskFacts {
  state: string;
  dosedAt: string | null;
  minutesSinceDose: number | null;
  vitals: VitalView[];
  checkIn: TileCheckIn;
  news2: News2Result;
  /** Unresolved alerts that need a person (high, medium, low), most urgent first. */
  alerts: AlertRecord[];
  topAlert: AlertRecord | null;
  /** Informational alerts (e.g. sedation, MOAA/S 4 below a pre-dose 5): shown, never sounded. */
  infoAlerts: AlertRecord[];
  /** Ended or aborted: nothing is due any more and the device no longer matters. */
  ended: boolean;
  endedAt: string | null;
  /** The patient's per-patient protocol overrides in force (audited, bounded). */
  overrides: OverrideInForceView[];
  presence: SessionModel['presence'];
  /** The newest reading of any kind: what "no data since" refers to when the phone is silent. */
  lastDataAt: string | null;
  /**
   * When the patient wrote last, if no one of the care team has written since: patients type
   * their worries ("my chest feels tight, is that normal?") into messages, and a clinician
   * watching many tiles would otherwise only see it by opening the session.
   */
  patientMessageAt: string | null;
  /** Still loading the session's events: show nothing as if it were known. */
  loading: boolean;
  /**
   * The first instant at which this view could read differently with no new event or summary:
   * the next minute since the dose, a value turning stale or too old for NEWS2, the check-in
   * falling due. Until then the board keeps the view without working it out again.
   */
  changesAt: number;
}

/** How the tile judges ages: the session's dose and pre-dose BP, the protocol's rules. */
interface Judge {
  now: number;
  context: StalenessContext;
  rules?: StalenessRules;
  /** The earliest change point met so far (a value still fresh turns stale 1 ms after its limit). */
  changesAt: number;
}

/** Stale as isValueStale judges it, noting when a value still fresh will turn stale. */
function judgeStale(subject: StaleSubject, judge: Judge): boolean {
  const limit = staleAfter(subject, judge.context, judge.rules);
  if (limit === null || judge.now > limit) return true;
  judge.changesAt = Math.min(judge.changesAt, limit + 1);
  return false;
}

function vital(
  model: SessionModel,
  key: Exclude<ReadingKind, 'bp_systolic' | 'bp_diastolic'>,
  label: string,
  unit: string,
  judge: Judge,
): VitalView {
  const v = model.latest[key];
  const at = v ? countedAt(v) : NaN;
  const subject =
    key === 'spo2' || key === 'heart_rate'
      ? { kind: key, measuredAt: at, source: v?.source }
      : { kind: key, measuredAt: at };
  return {
    key,
    label,
    unit,
    value: v ? String(v.value) : null,
    measuredAt: Number.isNaN(at) ? null : at,
    stale: v ? judgeStale(subject, judge) : false,
  };
}

function bloodPressure(model: SessionModel, judge: Judge): VitalView {
  const s = model.latest.bp_systolic;
  const d = model.latest.bp_diastolic;
  // The pair is as old as its older half.
  const at = Math.min(s ? countedAt(s) : Infinity, d ? countedAt(d) : Infinity);
  const known = Number.isFinite(at);
  const subject = { kind: 'bp' as const, measuredAt: at, sbp: s?.value, dbp: d?.value };
  return {
    key: 'bp',
    label: 'BP',
    unit: 'mmHg',
    value: s || d ? `${s?.value ?? '–'}/${d?.value ?? '–'}` : null,
    measuredAt: known ? at : null,
    stale: s || d ? judgeStale(subject, judge) : false,
  };
}

export function tileView(
  summary: SessionSummary,
  model: SessionModel | undefined,
  now: number,
  rules?: StalenessRules,
): TileView {
  const m = model ?? emptySessionModel();
  const dosedAt = m.dosedAt ?? summary.dosedAt;
  const overrides = overridesOf(summary);
  const route = m.dose?.route === 'sublingual' ? 'sublingual' : 'oral';
  // An overridden BP limit changes what counts as "high", hence how often BP is expected.
  const judged =
    rules ??
    (overrides.length > 0 ? stalenessRules(protocolWithOverrides(route, overrides)) : undefined);
  const judge: Judge = {
    now,
    context: stalenessContext(m, dosedAt),
    rules: judged,
    changesAt: news2ChangesAt(m, now),
  };
  const unresolved = unresolvedAlerts(m);
  const alerts = unresolved.filter((a) => a.priority !== 'info');
  const state = m.state ?? summary.state;
  const { lastAt, dueAt, overdueMs } = checkInDue(m, dosedAt, now);
  const news2 = news2For(m, now);
  const times = Object.values(m.latest)
    .map((v) => Date.parse(v.measuredAt))
    .filter((t) => !Number.isNaN(t));
  const lastDataAt = times.length > 0 ? new Date(Math.max(...times)).toISOString() : null;
  const minutesSinceDose = minutesBetween(dosedAt, now);
  const vitals = [
    vital(m, 'heart_rate', 'HR', '/min', judge),
    bloodPressure(m, judge),
    vital(m, 'spo2', 'SpO2', '%', judge),
    // The protocol measures HR, BP and SpO2 at every session; resp. rate and temperature only
    // when a device or a person reports them, so they get no "no reading" placeholder.
    ...(m.latest.resp_rate ? [vital(m, 'resp_rate', 'RR', '/min', judge)] : []),
    ...(m.latest.temperature ? [vital(m, 'temperature', 'Temp', '°C', judge)] : []),
  ];
  // The minute since the dose turns over, and the check-in falls due 1 ms after dueAt.
  const dose = dosedAt ? Date.parse(dosedAt) : NaN;
  const nextMinute = minutesSinceDose === null ? Infinity : dose + (minutesSinceDose + 1) * 60_000;
  const falls = dueAt !== null && overdueMs === 0 ? dueAt + 1 : Infinity;
  const overdue = overdueMs > 0;
  return {
    sessionId: summary.id,
    patientName: summary.patient.name,
    state,
    dosedAt,
    minutesSinceDose,
    vitals,
    checkIn: { lastAt, dueAt, overdue },
    news2,
    news2Level: news2Level(news2),
    overdueSince: overdue ? dueAt : null,
    alerts,
    topAlert: alerts[0] ?? null,
    infoAlerts: unresolved.filter((a) => a.priority === 'info'),
    ended: state === 'ended' || state === 'aborted',
    endedAt: m.endedAt ?? summary.endedAt,
    overrides,
    presence: m.presence,
    lastDataAt,
    patientMessageAt: waitingPatientMessage(m),
    loading: model === undefined,
    changesAt: Math.min(judge.changesAt, nextMinute, falls),
  };
}

/** The patient's last message, if the care team has not written since (their reply ends it). */
function waitingPatientMessage(model: SessionModel): string | null {
  const last = model.messages[model.messages.length - 1];
  return last?.fromRole === 'patient' ? last.at : null;
}

/**
 * What the "needs attention" filter keeps: a session with an alert that needs a person, an
 * overdue check-in, a stale value, a silent phone or a patient's message nobody has answered.
 * Ended sessions never need attention here.
 */
export function needsAttention(view: TileView): boolean {
  if (view.ended) return false;
  return (
    view.alerts.length > 0 ||
    view.checkIn.overdue ||
    view.patientMessageAt !== null ||
    view.presence.status === 'silent' ||
    view.vitals.some((v) => v.stale)
  );
}

const sameList = <T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean = Object.is) =>
  a.length === b.length && a.every((x, i) => same(x, b[i]));

const sameVital = (a: VitalView, b: VitalView) =>
  a.key === b.key &&
  a.value === b.value &&
  a.measuredAt === b.measuredAt &&
  a.stale === b.stale &&
  a.label === b.label &&
  a.unit === b.unit;

const sameNews2 = (a: News2Result, b: News2Result) =>
  a.total === b.total &&
  a.band === b.band &&
  a.complete === b.complete &&
  a.anySingleThree === b.anySingleThree &&
  sameList(a.missing, b.missing) &&
  sameList(
    Object.entries(a.scores),
    Object.entries(b.scores),
    (x, y) => x[0] === y[0] && x[1] === y[1],
  );

const sameOverride = (a: OverrideInForceView, b: OverrideInForceView) =>
  a.setting === b.setting &&
  a.value === b.value &&
  a.default === b.default &&
  a.label === b.label &&
  a.unit === b.unit;

/**
 * Whether two views of a session say the same thing. Worked out again on every tick of the clock,
 * most of a 200-session board's views come out equal (the ages are the screen's to count); the
 * earlier object is then kept, so its tile skips the render and the risk sort sees no change.
 */
export function sameTileView(a: TileView, b: TileView): boolean {
  return (
    a.sessionId === b.sessionId &&
    a.patientName === b.patientName &&
    a.state === b.state &&
    a.dosedAt === b.dosedAt &&
    a.minutesSinceDose === b.minutesSinceDose &&
    sameList(a.vitals, b.vitals, sameVital) &&
    a.checkIn.lastAt === b.checkIn.lastAt &&
    a.checkIn.dueAt === b.checkIn.dueAt &&
    a.checkIn.overdue === b.checkIn.overdue &&
    a.overdueSince === b.overdueSince &&
    a.news2Level === b.news2Level &&
    sameNews2(a.news2, b.news2) &&
    sameList(a.alerts, b.alerts) &&
    a.topAlert === b.topAlert &&
    sameList(a.infoAlerts, b.infoAlerts) &&
    a.ended === b.ended &&
    a.endedAt === b.endedAt &&
    sameList(a.overrides, b.overrides, sameOverride) &&
    a.presence.status === b.presence.status &&
    a.presence.lastSeenAt === b.presence.lastSeenAt &&
    a.lastDataAt === b.lastDataAt &&
    a.patientMessageAt === b.patientMessageAt &&
    a.loading === b.loading
  );
}
