import {
  DEFAULT_ORAL_PROTOCOL,
  durationMs,
  scoreNews2,
  type News2Input,
  type News2Parameter,
  type News2Result,
} from '@vigil/clinical';
import type { SessionModel } from './session-model';

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

function recent(v: { value: number; measuredAt: string } | undefined, now: number): number | null {
  if (!v) return null;
  const t = Date.parse(v.measuredAt);
  return !Number.isNaN(t) && now - t <= NEWS2_MAX_AGE_MS ? v.value : null;
}

/** NEWS2 inputs from the latest recent readings and the latest recent MOAA/S check-in. */
export function news2InputFrom(
  model: Pick<SessionModel, 'latest' | 'checkIns'>,
  now: number,
): News2Input {
  const withMoaas = [...model.checkIns].reverse().find((c) => c.moaas !== undefined);
  const moaas =
    withMoaas && now - Date.parse(withMoaas.takenAt ?? withMoaas.at) <= NEWS2_MAX_AGE_MS
      ? withMoaas.moaas
      : null;
  return {
    respRate: recent(model.latest.resp_rate, now),
    spo2: recent(model.latest.spo2, now),
    // The phone has no "on oxygen" question: left missing rather than assumed to be air.
    supplementalOxygen: null,
    systolic: recent(model.latest.bp_systolic, now),
    pulse: recent(model.latest.heart_rate, now),
    moaas: moaas ?? null,
    temperature: recent(model.latest.temperature, now),
  };
}

export function news2For(
  model: Pick<SessionModel, 'latest' | 'checkIns'>,
  now: number,
): News2Result {
  return scoreNews2(news2InputFrom(model, now));
}
