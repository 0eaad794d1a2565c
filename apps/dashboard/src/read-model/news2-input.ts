import {
  DEFAULT_ORAL_PROTOCOL,
  durationMs,
  roundReading,
  scoreNews2,
  type News2Input,
  type News2Parameter,
  type News2Result,
} from '@vigil/clinical';
import type { ReadingKind } from '@vigil/contracts';
import { countedAt, type LatestValue, type SessionModel } from './session-model';

/**
 * A value older than this does not count towards NEWS2: a score built from an hour-old SpO2
 * would look current and reassure wrongly. The parameter is listed as missing instead.
 */
export const NEWS2_MAX_AGE_MS = durationMs(DEFAULT_ORAL_PROTOCOL.timings.news2MaxAge);

export const NEWS2_LABELS: Record<News2Parameter, string> = {
  resp_rate: 'resp. rate',
  spo2: 'SpO2',
  supplemental_oxygen: 'O2 therapy',
  systolic_bp: 'SBP',
  pulse: 'pulse',
  consciousness: 'consciousness',
  temperature: 'temp.',
};

/**
 * When a value starts to age for NEWS2, as the alert engine ages it (vital-rules.ts): by the
 * server's clock, from its commit less the time it waited on the phone (v1.14), never from its
 * measuredAt alone. That is the phone's clock, and a resp. rate typed in now on a phone whose clock
 * runs 16 min slow is not 16 min old; one held 30 min in the phone's outbox is 30 min old when it
 * arrives. Its age on the tile still counts from its measuredAt (countedAt).
 */
function news2AgedFrom(v: LatestValue): number {
  const committed = v.committedAt === undefined ? NaN : Date.parse(v.committedAt);
  if (Number.isNaN(committed)) return countedAt(v);
  const waited = v.waitedMs !== undefined && v.waitedMs > 0 ? v.waitedMs : 0;
  return Math.max(countedAt(v), committed) - waited;
}

/** A recent reading's value rounded as the engine's rules round it (v2 precision), else null. */
function recent(
  model: Pick<SessionModel, 'latest'>,
  kind: ReadingKind,
  now: number,
): number | null {
  const v = model.latest[kind];
  if (!v) return null;
  const t = news2AgedFrom(v);
  return !Number.isNaN(t) && now - t <= NEWS2_MAX_AGE_MS ? roundReading(kind, v.value) : null;
}

/** NEWS2 inputs from the latest recent readings and the latest recent MOAA/S check-in. */
export function news2InputFrom(
  model: Pick<SessionModel, 'latest' | 'checkIns'>,
  now: number,
): News2Input {
  // The last MOAA/S to arrive, aged from when it was made by the server's clock (v1.10), as the
  // alert engine scores it; the phone's `takenAt` is its own clock's.
  const withMoaas = model.checkIns.findLast((c) => c.moaas !== undefined);
  const moaas =
    withMoaas && now - Date.parse(withMoaas.at) <= NEWS2_MAX_AGE_MS ? withMoaas.moaas : null;
  return {
    respRate: recent(model, 'resp_rate', now),
    spo2: recent(model, 'spo2', now),
    // The phone has no "on oxygen" question: left missing rather than assumed to be air.
    supplementalOxygen: null,
    systolic: recent(model, 'bp_systolic', now),
    pulse: recent(model, 'heart_rate', now),
    moaas: moaas ?? null,
    temperature: recent(model, 'temperature', now),
  };
}

export function news2For(
  model: Pick<SessionModel, 'latest' | 'checkIns'>,
  now: number,
): News2Result {
  return scoreNews2(news2InputFrom(model, now));
}

/**
 * The first instant after `now` at which a value news2InputFrom counts at `now` stops counting
 * (it turns older than NEWS2_MAX_AGE_MS): until then the score cannot change without an event.
 * Infinity when nothing counted can age out.
 */
export function news2ChangesAt(
  model: Pick<SessionModel, 'latest' | 'checkIns'>,
  now: number,
): number {
  const withMoaas = model.checkIns.findLast((c) => c.moaas !== undefined);
  const times = [
    ...[
      model.latest.resp_rate,
      model.latest.spo2,
      model.latest.bp_systolic,
      model.latest.heart_rate,
      model.latest.temperature,
    ].map((v) => (v ? news2AgedFrom(v) : NaN)),
    withMoaas ? Date.parse(withMoaas.at) : NaN,
  ];
  let next = Infinity;
  for (const t of times) {
    const out = t + NEWS2_MAX_AGE_MS + 1;
    if (!Number.isNaN(t) && now - t <= NEWS2_MAX_AGE_MS && out < next) next = out;
  }
  return next;
}
