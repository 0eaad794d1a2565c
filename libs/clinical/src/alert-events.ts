import {
  checkInMadeAt,
  READING_KINDS,
  READING_RANGES,
  SESSION_STATES,
  SYMPTOM_CODES,
  type AlertPriority,
  type ReadingKind,
  type SessionState,
  type SymptomCode,
} from '@vigil/contracts';
import {
  EMERGENCY_SYMPTOMS,
  type AlertEngineState,
  type Condition,
  type ConditionCode,
  type KindReading,
  type OriginMark,
} from './alert-types';
import { evaluatePreDoseGate, noGoMessage, type PreDoseScreening } from './pre-dose-gate';
import { roundReading } from './precision';
import { breaches, durationMs, higherPriority, type Protocol } from './protocol';
import { isFiniteNumber, toEpochMs, toIso } from './time';

/** Event data arrives untyped from storage or the wire: read it defensively, never throw. */
export type DataRecord = Record<string, unknown>;

export function asRecord(value: unknown): DataRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as DataRecord)
    : {};
}

export interface ParsedReading {
  kind: ReadingKind;
  /** Rounded to the unit's precision: what the rules judge. */
  value: number;
  /** When measured, capped at the event's time ("never measured after the event"). */
  at: number;
  /** When measured by its origin's clock, uncapped (the event's time without a `measuredAt`). */
  measuredAt: number;
  /** When the server committed the event carrying it (the event's `at`, epoch ms). */
  committedAt: number;
  /** v1.14: how long it waited on the phone before the send that stored it, if known. */
  waitedMs?: number;
  /** The seq of the event carrying it, if known. */
  seq?: number;
  /** SpO2 or heart rate streamed by a device (CLINICAL.md v2): judged after the hold delay. */
  continuous: boolean;
  /** Whose clock dated it (`readingOrigin`), if known. */
  origin?: string;
}

/**
 * Whose clock dated a vitals event's readings: the paired device it names, else the account that
 * sent it (a phone or a browser), else unknown. Measured times compare only within one origin: an
 * oximeter whose clock runs 3 minutes slow dates its readings before a value typed a minute ago.
 */
export function readingOrigin(data: DataRecord, actorId?: string | null): string | undefined {
  const deviceId = asRecord(data.device).id;
  if (typeof deviceId === 'string') return `device:${deviceId}`;
  return typeof actorId === 'string' ? `account:${actorId}` : undefined;
}

/** The kinds a device streams: SpO2 and heart rate. BP, resp. rate and temperature are discrete. */
const STREAMED_KINDS: readonly ReadingKind[] = ['spo2', 'heart_rate'];

/**
 * A reading of a continuous stream (CLINICAL.md v2): SpO2 or heart rate from a device, which a
 * reading without a source is (contract v1.1). Its thresholds must hold for the stream delay
 * before it raises anything; a reading typed in by hand, and every other kind, is discrete.
 */
export function isContinuousReading(reading: { kind: ReadingKind; source?: string }): boolean {
  return reading.source !== 'manual' && STREAMED_KINDS.includes(reading.kind);
}

/** Plausible readings only (contracts READING_RANGES), never measured after the event. */
export function parseReadings(
  data: DataRecord,
  eventAt: number,
  seq?: number,
  origin?: string,
): ParsedReading[] {
  const raw = Array.isArray(data.readings) ? (data.readings as unknown[]) : [];
  const out: ParsedReading[] = [];
  for (const item of raw) {
    const r = asRecord(item);
    const kind = r.kind as ReadingKind;
    if (!READING_KINDS.includes(kind) || !isFiniteNumber(r.value)) continue;
    const range = READING_RANGES[kind];
    if (r.value < range.min || r.value > range.max) continue;
    const measured = toEpochMs(typeof r.measuredAt === 'string' ? r.measuredAt : null);
    const continuous = isContinuousReading({
      kind,
      source: typeof r.source === 'string' ? r.source : undefined,
    });
    const waited = isFiniteNumber(r.waitedMs) && r.waitedMs > 0 ? r.waitedMs : undefined;
    out.push({
      kind,
      value: roundReading(kind, r.value),
      at: Math.min(measured ?? eventAt, eventAt),
      measuredAt: measured ?? eventAt,
      committedAt: eventAt,
      ...(waited === undefined ? {} : { waitedMs: waited }),
      ...(seq === undefined ? {} : { seq }),
      continuous,
      ...(origin === undefined ? {} : { origin }),
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * A reading measured before the last one of its kind from the same origin (a late upload, a phone
 * clock set back) cannot change the latest value. Origins are not compared by their clocks: a
 * device whose clock runs minutes slow dates a low SpO2 measured now before a value typed a minute
 * ago, and dropped as older it raised nothing, ever. Between origins the latest to arrive is the
 * latest value. A streamed reading more than the protocol's stream interval after the previous
 * one of its origin starts a new stream (a probe clipped on again, a reconnect): the hold delay
 * applies from it afresh (v2). Unless that previous one was a lone reading (none within the
 * interval before it either): a sparse device, one reading a minute or a cuff's pulse, sends
 * nothing but such readings, and each starting its own stream, none ever held, so the second of
 * two crossed readings in a row shows it did.
 */
export function ingestReading(
  state: AlertEngineState,
  reading: ParsedReading,
  protocol: Protocol,
  receivedAt: number,
): AlertEngineState {
  const previous = state.readings[reading.kind];
  // Unknown on either side (a state stored before origins were kept): one origin, as before.
  const sameOrigin =
    previous !== undefined &&
    (previous.origin === undefined ||
      reading.origin === undefined ||
      previous.origin === reading.origin);
  const own: OriginMark | undefined = sameOrigin
    ? previous
    : previous?.otherOrigins?.[reading.origin!];
  // Readings dated ahead of the engine's clock (a phone running fast) are all capped at their
  // arrival: their origin's own clock orders those `at` ties. Without it, a batch's latest value
  // was its first, and its low SpO2 never raised. The same time by that clock is a resend.
  const notNewer =
    own !== undefined &&
    (reading.at < own.at ||
      (reading.at === own.at && reading.measuredAt <= (own.measuredAt ?? own.at)));
  if (notNewer) {
    if (!sameOrigin) return state;
    // Something of this kind came after the latest (a phone clock set back): it no longer stands
    // alone with nothing newer, so it does not hold on the clock (vital-rules.ts `aloneSince`).
    if (previous.receivedAt === undefined) return state;
    const superseded = { ...previous, receivedAt: undefined };
    return { ...state, readings: { ...state.readings, [reading.kind]: superseded } };
  }
  const maxGap = durationMs(protocol.timings.continuousMaxInterval);
  // A stream continues within its origin: another device's readings between do not break it.
  const streamed =
    reading.continuous && own?.continuous === true && isFiniteNumber(own.streamStart) ? own : null;
  const contiguous = streamed !== null && reading.at - streamed.at <= maxGap;
  const previousBurst = streamed ? (streamed.burstStart ?? streamed.streamStart) : null;
  const afterLone = streamed !== null && !contiguous && previousBurst === streamed.at;
  return {
    ...state,
    readings: {
      ...state.readings,
      [reading.kind]: {
        value: reading.value,
        at: reading.at,
        ...(reading.measuredAt > reading.at ? { measuredAt: reading.measuredAt } : {}),
        committedAt: reading.committedAt,
        ...(reading.waitedMs === undefined ? {} : { waitedMs: reading.waitedMs }),
        ...(reading.seq === undefined ? {} : { seq: reading.seq }),
        continuous: reading.continuous,
        streamStart: streamed && (contiguous || afterLone) ? streamed.streamStart : reading.at,
        burstStart: contiguous && previousBurst !== null ? previousBurst : reading.at,
        receivedAt,
        ...originsAfter(previous, sameOrigin, reading.origin),
      },
    },
  };
}

/** The origin fields of the new latest reading: the one it replaces, if another, is kept aside. */
function originsAfter(
  previous: KindReading | undefined,
  sameOrigin: boolean,
  origin: string | undefined,
): Pick<KindReading, 'origin' | 'otherOrigins'> {
  const others = { ...previous?.otherOrigins };
  if (previous && !sameOrigin && previous.origin !== undefined) {
    const { at, measuredAt, continuous, streamStart, burstStart } = previous;
    others[previous.origin] = {
      at,
      ...(measuredAt === undefined ? {} : { measuredAt }),
      continuous,
      streamStart,
      burstStart,
    };
  }
  if (origin !== undefined) delete others[origin];
  return {
    ...(origin === undefined ? {} : { origin }),
    ...(Object.keys(others).length === 0 ? {} : { otherOrigins: others }),
  };
}

/**
 * Latches a condition until a clinician clears it. A repeat report raises the count (so the
 * alert is updated and, if acknowledged, opened again) and never lowers the priority. The report
 * is unannounced too until the pass that judges it announces it (clearLatched keeps those).
 */
export function latch(
  state: AlertEngineState,
  condition: ConditionCode,
  priority: AlertPriority,
  message: (count: number) => string,
  at: number,
  extra: Pick<Condition, 'value' | 'limit'> = {},
): AlertEngineState {
  const report = (existing: Condition | undefined): Condition => {
    const count = (existing?.count ?? 0) + 1;
    return existing
      ? {
          ...existing,
          ...extra,
          priority: higherPriority(existing.priority, priority),
          message: message(count),
          count,
        }
      : { condition, priority, message: message(count), since: toIso(at), count, ...extra };
  };
  return {
    ...state,
    latched: { ...state.latched, [condition]: report(state.latched[condition]) },
    unannounced: { ...state.unannounced, [condition]: report(state.unannounced?.[condition]) },
  };
}

const times = (count: number) => (count > 1 ? ` (${count} times)` : '');

export function ingestCheckIn(
  state: AlertEngineState,
  data: DataRecord,
  at: number,
  protocol: Protocol,
  seq?: number,
): AlertEngineState {
  let next: AlertEngineState = { ...state, lastHeartbeatAt: at };
  // v2: a check-in counts for the schedule only if it carries MOAA/S; a note alone does not.
  if (isFiniteNumber(data.moaas) && data.moaas >= 0 && data.moaas <= 5) {
    // The schedule counts from when it was made by our clock: its arrival less the time it waited
    // on the phone (v1.10), never the phone's `takenAt` itself (a phone clock running 30 min slow
    // would hold a high overdue alarm all session), never before the dose or the check-in before
    // it (a phone clock changed while it waited).
    const made = Math.max(
      checkInMadeAt(toIso(at), { waitedMs: isFiniteNumber(data.waitedMs) ? data.waitedMs : 0 }),
      state.dosedAt ?? -Infinity,
    );
    const lastCheckInAt = Math.max(made, state.lastCheckInAt ?? -Infinity);
    // Its MOAA/S is the latest to arrive, even if it looks older than the one before: a wait
    // cannot be told from a phone clock corrected while it waited, and a MOAA/S 1 judged history
    // on that would be a missed alarm (review of v1.10).
    const moaas = { value: data.moaas, at: made, ...(seq === undefined ? {} : { seq }) };
    next = { ...next, moaas, lastCheckInAt };
  }
  const symptoms = Array.isArray(data.symptoms) ? (data.symptoms as unknown[]) : [];
  for (const s of symptoms) {
    if (!SYMPTOM_CODES.includes(s as SymptomCode)) continue;
    const code = s as SymptomCode;
    const emergency = EMERGENCY_SYMPTOMS.includes(code);
    const p = protocol.priorities;
    next = latch(
      next,
      `symptom_${code}`,
      emergency ? p.emergencySymptom.priority : p.otherSymptom.priority,
      (n) => `${emergency ? 'Emergency' : 'Symptom'}: ${code.replace(/_/g, ' ')}${times(n)}`,
      at,
    );
  }
  return next;
}

export function ingestHelp(
  state: AlertEngineState,
  at: number,
  protocol: Protocol,
): AlertEngineState {
  return latch(
    { ...state, lastHeartbeatAt: at },
    'help',
    protocol.priorities.help.priority,
    (n) => (n > 1 ? `Help requested (${n} presses)` : 'Help requested'),
    at,
  );
}

export function ingestPresence(
  state: AlertEngineState,
  data: DataRecord,
  at: number,
): AlertEngineState {
  const online = data.online === true || data.status === 'online' || data.presence === 'online';
  return online ? { ...state, lastHeartbeatAt: Math.max(at, state.lastHeartbeatAt ?? at) } : state;
}

export function ingestStateChange(
  state: AlertEngineState,
  data: DataRecord,
  at: number,
): AlertEngineState {
  const to = (data.to ?? data.state) as SessionState;
  if (!SESSION_STATES.includes(to)) return state;
  // The dose time the patient reported, when the event carries it, starts the session clock.
  const reported = toEpochMs(typeof data.dosedAt === 'string' ? data.dosedAt : null);
  const dosedAt = reported !== null ? Math.min(reported, at) : at;
  const dosing = to === 'dosed' || to === 'monitoring';
  let next: AlertEngineState = {
    ...state,
    sessionState: to,
    dosedAt: dosing ? (state.dosedAt ?? dosedAt) : state.dosedAt,
    monitoringStartedAt: dosing ? (state.monitoringStartedAt ?? at) : state.monitoringStartedAt,
  };
  // A no-go is cleared only by the clinician's decision: a pre-dose override, or the end.
  const overridden = data.gate === 'pre_dose' && data.override !== undefined;
  if (overridden || dosing || to === 'aborted' || to === 'ended') {
    next = clearLatchedCode(next, 'predose_no_go');
  }
  return next;
}

/** The clinician's decision on the dose ends the no-go whole: what it was shown and what not. */
function clearLatchedCode(state: AlertEngineState, code: string): AlertEngineState {
  if (!(code in state.latched) && !(code in (state.unannounced ?? {}))) return state;
  const latched = { ...state.latched };
  const unannounced = { ...state.unannounced };
  delete latched[code];
  delete unannounced[code];
  return { ...state, latched, unannounced };
}

/** Screening: baseline vitals and MOAA/S when not yet known, and PHQ-9 item 9. */
export function ingestScreening(
  state: AlertEngineState,
  data: DataRecord,
  at: number,
  protocol: Protocol,
): AlertEngineState {
  let next = state;
  const { sbp, dbp, hr } = data;
  if (!next.baseline && isFiniteNumber(sbp) && isFiniteNumber(dbp) && isFiniteNumber(hr)) {
    next = { ...next, baseline: { sbp, dbp, hr } };
  }
  const moaas = data.moaasBaseline;
  if (next.preDoseMoaas === null && isFiniteNumber(moaas)) next = { ...next, preDoseMoaas: moaas };
  // v2: a no-go is a medium alert that sounds until a clinician overrides or aborts; a later
  // "go" reading does not clear it.
  const screening = data as PreDoseScreening;
  if (evaluatePreDoseGate(screening, protocol).status === 'no_go') {
    next = latch(
      next,
      'predose_no_go',
      protocol.priorities.preDoseNoGo.priority,
      () => noGoMessage(screening, protocol),
      at,
    );
  }
  const phq9 = Array.isArray(data.phq9) ? (data.phq9 as unknown[]) : [];
  const item9 = phq9[8];
  if (!isFiniteNumber(item9)) return next;
  const { phq9Item9, phq9Item9NearlyEveryDay: nearly } = protocol.alerts;
  const t = breaches(item9, nearly) ? nearly : breaches(item9, phq9Item9) ? phq9Item9 : null;
  if (!t) return next;
  return latch(next, 'phq9_item9', t.priority, () => `Self-harm thoughts (${item9}/3)`, at, {
    value: item9,
    limit: t.value,
  });
}
