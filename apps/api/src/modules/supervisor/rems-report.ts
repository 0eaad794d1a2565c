import {
  eventsOf,
  readingMadeAt,
  type AlertPriority,
  type BpAt,
  type Reading,
  type RemsReport,
  type SessionEvent,
  type SessionOutcome,
  type SessionState,
} from '@vigil/contracts';
import { bpsByInstant, durationMs, roundReading, type Protocol } from '@vigil/clinical';
import type { OverrideSpan } from '../protocols/protocols.service';

export interface RemsInput {
  session: RemsReport['session'];
  events: readonly SessionEvent[];
  alerts: Record<AlertPriority, number>;
  protocol: Protocol;
  /**
   * The patient's overrides of the SpO2 and resp. rate limits and when each was in force: a
   * reading is judged by the limit in force when it was taken, as the alert engine judged it.
   */
  overrides?: readonly OverrideSpan[];
  /** Names of the users who overrode a gate or aborted the session. */
  names: ReadonlyMap<string, string>;
  now: Date;
}

const MINUTE = 60_000;
/** The peak check reading: the BP nearest the target, from 15 min before it to 30 min after. */
const PEAK_WINDOW = { before: 15, after: 30 };

interface Bp {
  sbp: number | null;
  dbp: number | null;
  /** When it was measured by the server's clock (`readingMadeAt`), as the dose time is. */
  atMs: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Systolic and diastolic measured at the same instant (by the measuring clock) are one BP, timed
 * by the server's clock as the dose is: a phone's measuredAt is its own clock's, and on one 10 min
 * fast a BP taken at 30 min read 40 min after the dose and was taken for the peak check's.
 */
function bloodPressures(events: readonly SessionEvent[]): Bp[] {
  const readings = eventsOf(events, 'vitals.recorded').flatMap((e) =>
    e.data.readings.map((r) => ({ ...r, madeAt: readingMadeAt(r, e.at) })),
  );
  return bpsByInstant(readings)
    .map(({ sbp, dbp, at }) => ({ sbp: sbp ?? null, dbp: dbp ?? null, atMs: at }))
    .sort((a, b) => a.atMs - b.atMs);
}

/**
 * A kind's readings made since `afterMs` by the server's clock, rounded as the rules round them
 * (v2 precision), each with that time: the limit in force is judged at it.
 */
function readingsOf(events: readonly SessionEvent[], kind: Reading['kind'], afterMs: number) {
  return eventsOf(events, 'vitals.recorded')
    .flatMap((e) =>
      e.data.readings
        .filter((r) => r.kind === kind)
        .map((r) => ({ value: roundReading(kind, r.value), atMs: readingMadeAt(r, e.at) })),
    )
    .filter((r) => r.atMs >= afterMs);
}

/**
 * Whether any reading was at or below the low limit in force when it was taken (the protocol's,
 * or the patient's override then), and the limit to print: in force at the lowest reading.
 */
function judgedLow(
  readings: ReadonlyArray<{ value: number; atMs: number }>,
  setting: 'spo2Low' | 'rrLow',
  protocolLimit: number,
  spans: readonly OverrideSpan[],
  whenNone: number,
): { lowest: number | null; limit: number; crossed: boolean } {
  const limitAt = (t: number) =>
    spans.findLast((s) => s.setting === setting && s.from <= t && (s.until ?? Infinity) > t)
      ?.value ?? protocolLimit;
  let lowest: { value: number; atMs: number } | null = null;
  for (const r of readings) if (!lowest || r.value < lowest.value) lowest = r;
  return {
    lowest: lowest?.value ?? null,
    limit: limitAt(lowest?.atMs ?? whenNone),
    crossed: readings.some((r) => r.value <= limitAt(r.atMs)),
  };
}

function checkInValues(
  events: readonly SessionEvent[],
  field: 'moaas' | 'dissociation',
  afterSeq: number,
): number[] {
  return eventsOf(events, 'checkin.recorded')
    .filter((e) => e.seq > afterSeq)
    .map((e) => num(e.data[field]))
    .filter((v): v is number => v !== null);
}

const minOf = (xs: number[]) => (xs.length ? Math.min(...xs) : null);
const maxOf = (xs: number[]) => (xs.length ? Math.max(...xs) : null);

export function outcomeOf(state: SessionState): SessionOutcome {
  return state === 'ended' ? 'signed_off' : state === 'aborted' ? 'aborted' : 'in_progress';
}

/**
 * The SPRAVATO REMS Patient Monitoring Form's content, derived from the session's event log
 * (the record of truth) so the report can be rebuilt at any time and matches a replay.
 */
export function buildRemsReport(input: RemsInput): RemsReport {
  const { events, session, protocol } = input;
  const doseMs = session.dosedAt ? Date.parse(session.dosedAt) : null;
  const endMs = session.endedAt ? Date.parse(session.endedAt) : input.now.getTime();
  const afterDose = doseMs ?? Number.POSITIVE_INFINITY;
  const sinceDose = (ms: number) => (doseMs === null ? null : Math.round((ms - doseMs) / MINUTE));
  const bpAt = (bp: Bp, source: BpAt['source']): BpAt => ({
    sbp: bp.sbp,
    dbp: bp.dbp,
    at: new Date(bp.atMs).toISOString(),
    minutesAfterDose: sinceDose(bp.atMs),
    source,
  });

  // Log order, not clocks, says what came before the dose: event times are the server's,
  // the dose time is the patient's.
  const changes = events.filter((e) => e.type === 'session.state_changed');
  const doseEvent = changes.find((e) => e.data.dose !== undefined);
  // A session dosed without a dose event in its log (imported, seeded) counts all of it as after.
  const doseSeq = doseEvent?.seq ?? (doseMs === null ? Number.POSITIVE_INFINITY : 0);
  const screenings = eventsOf(events, 'screening.submitted').filter((e) => e.seq < doseSeq);
  const screening = screenings.length ? screenings[screenings.length - 1].data : null;
  const bps = bloodPressures(events);
  let beforeDosing: BpAt | null = null;
  if (screening && (num(screening.sbp) !== null || num(screening.dbp) !== null)) {
    const at = screenings[screenings.length - 1].at;
    beforeDosing = bpAt(
      { sbp: num(screening.sbp), dbp: num(screening.dbp), atMs: Date.parse(at) },
      'screening',
    );
  } else {
    const pre = bps.filter((b) => doseMs === null || b.atMs <= doseMs);
    if (pre.length) beforeDosing = bpAt(pre[pre.length - 1], 'vitals');
  }

  const post = bps.filter((b) => b.atMs >= afterDose && b.atMs <= endMs);
  const peakMinutes = durationMs(protocol.timings.peakBpCheck) / MINUTE;
  let atPeakCheck: RemsReport['bloodPressure']['atPeakCheck'] = null;
  if (doseMs !== null) {
    const target = doseMs + peakMinutes * MINUTE;
    const candidates = post.filter(
      (b) =>
        b.atMs >= target - PEAK_WINDOW.before * MINUTE &&
        b.atMs <= target + PEAK_WINDOW.after * MINUTE,
    );
    candidates.sort((a, b) => Math.abs(a.atMs - target) - Math.abs(b.atMs - target));
    if (candidates[0])
      atPeakCheck = { ...bpAt(candidates[0], 'vitals'), targetMinutes: peakMinutes };
  }
  const beforeEnd = post.length ? bpAt(post[post.length - 1], 'vitals') : null;

  const baselineMoaas = num(screening?.moaasBaseline);
  const lowestMoaas = minOf(checkInValues(events, 'moaas', doseSeq));
  const highestDissociation = maxOf(checkInValues(events, 'dissociation', doseSeq));
  const low = (kind: 'spo2' | 'resp_rate', setting: 'spo2Low' | 'rrLow') =>
    judgedLow(
      readingsOf(events, kind, afterDose),
      setting,
      protocol.alerts[setting].value,
      input.overrides ?? [],
      doseMs ?? endMs,
    );
  const spo2 = low('spo2', 'spo2Low');
  const respRate = low('resp_rate', 'rrLow');

  const doseData = doseEvent?.data.dose ?? null;
  const signOff = changes.find((e) => e.data.to === 'ended');
  const abort = changes.find((e) => e.data.to === 'aborted');
  const flags = [...(screening?.gate?.flags ?? [])];

  return {
    session,
    dose: doseData
      ? {
          mg: num(doseData.mg) ?? num(doseData.doseMg) ?? 0,
          route: doseData.route ?? '',
          takenAt: doseData.takenAt ?? session.dosedAt ?? '',
          lot: doseData.lot ?? null,
        }
      : null,
    bloodPressure: { beforeDosing, atPeakCheck, beforeEnd },
    sedation: {
      occurred: lowestMoaas !== null && lowestMoaas < (baselineMoaas ?? 5),
      baselineMoaas,
      lowestMoaas,
    },
    dissociation: { occurred: (highestDissociation ?? 0) > 0, highestScore: highestDissociation },
    respiratoryDepression: {
      occurred: spo2.crossed || respRate.crossed,
      lowestSpo2: spo2.lowest,
      lowestRespRate: respRate.lowest,
      limits: { spo2: spo2.limit, respRate: respRate.limit },
    },
    totalMonitoringMinutes: doseMs === null ? null : Math.round((endMs - doseMs) / MINUTE),
    readyToLeaveMinutes: num(signOff?.data.readyToLeaveMinutes),
    concomitantMedicines: {
      bpRaising: screening?.concomitantBpRaisingMeds ?? null,
      flags,
    },
    overrides: changes.flatMap((e) => {
      const o = e.data.override;
      if (!o) return [];
      const by = o.by ?? null;
      return [
        {
          gate: e.data.gate ?? '',
          reason: o.reason ?? '',
          by,
          byName: by ? (input.names.get(by) ?? null) : null,
          at: o.at ?? e.at,
        },
      ];
    }),
    alerts: input.alerts,
    abortReason: abort ? (abort.data.reason ?? null) : null,
    aborted: abort
      ? {
          by: abort.actorId,
          byName: abort.actorId ? (input.names.get(abort.actorId) ?? null) : null,
          at: abort.at,
        }
      : null,
    generatedAt: input.now.toISOString(),
  };
}
