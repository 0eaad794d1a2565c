import { isFiniteNumber } from './time';

/**
 * NEWS2 (RCP 2017, chart 1, SpO2 scale 1) scored from whatever parameters are present.
 * A missing parameter is listed in `missing`, never silently scored as 0.
 */
export const NEWS2_PARAMETERS = [
  'resp_rate',
  'spo2',
  'supplemental_oxygen',
  'systolic_bp',
  'pulse',
  'consciousness',
  'temperature',
] as const;
export type News2Parameter = (typeof NEWS2_PARAMETERS)[number];

export type News2Band = 'low' | 'low_medium' | 'medium' | 'high';

export interface News2Input {
  respRate?: number | null;
  spo2?: number | null;
  supplementalOxygen?: boolean | null;
  systolic?: number | null;
  pulse?: number | null;
  /** MOAA/S 5 and 4 = alert (0); MOAA/S <= 3 counts as CVPU (3) (v2). Ignored when `consciousness` is set. */
  moaas?: number | null;
  consciousness?: 'alert' | 'cvpu' | null;
  temperature?: number | null;
}

export interface News2Result {
  total: number;
  scores: Partial<Record<News2Parameter, number>>;
  missing: News2Parameter[];
  anySingleThree: boolean;
  /** v2: null when any parameter is missing, so no consumer can read a partial score as "low". */
  band: News2Band | null;
  complete: boolean;
}

export const NEWS2_SOURCE = 'RCP NEWS2 (2017) chart 1, SpO2 scale 1 (CLINICAL.md)';

/**
 * CLINICAL.md's NEWS2 table, a row per measured parameter: the bands' inclusive upper bounds,
 * lowest first, and one score more than bounds (the last scores everything above the last bound).
 */
interface Bands {
  upTo: readonly number[];
  scores: readonly number[];
}
const BANDS = {
  resp_rate: { upTo: [8, 11, 20, 24], scores: [3, 1, 0, 2, 3] },
  spo2: { upTo: [91, 93, 95], scores: [3, 2, 1, 0] },
  systolic_bp: { upTo: [90, 100, 110, 219], scores: [3, 2, 1, 0, 3] },
  pulse: { upTo: [40, 50, 90, 110, 130], scores: [3, 1, 0, 1, 2, 3] },
  temperature: { upTo: [35.0, 36.0, 38.0, 39.0], scores: [3, 1, 0, 1, 2] },
} satisfies Partial<Record<News2Parameter, Bands>>;

function scoreBands(value: number, { upTo, scores }: Bands): number {
  const band = upTo.findIndex((bound) => value <= bound);
  return scores[band === -1 ? upTo.length : band];
}

export function scoreNews2(input: News2Input): News2Result {
  const scores: Partial<Record<News2Parameter, number>> = {};
  if (isFiniteNumber(input.respRate)) {
    scores.resp_rate = scoreBands(input.respRate, BANDS.resp_rate);
  }
  if (isFiniteNumber(input.spo2)) scores.spo2 = scoreBands(input.spo2, BANDS.spo2);
  if (typeof input.supplementalOxygen === 'boolean') {
    scores.supplemental_oxygen = input.supplementalOxygen ? 2 : 0;
  }
  if (isFiniteNumber(input.systolic)) {
    scores.systolic_bp = scoreBands(input.systolic, BANDS.systolic_bp);
  }
  if (isFiniteNumber(input.pulse)) scores.pulse = scoreBands(input.pulse, BANDS.pulse);
  const consciousness = input.consciousness ?? consciousnessFromMoaas(input.moaas);
  if (consciousness) scores.consciousness = consciousness === 'alert' ? 0 : 3;
  if (isFiniteNumber(input.temperature)) {
    scores.temperature = scoreBands(input.temperature, BANDS.temperature);
  }

  const missing = NEWS2_PARAMETERS.filter((p) => scores[p] === undefined);
  const values = Object.values(scores);
  const total = values.reduce((sum, s) => sum + s, 0);
  const anySingleThree = values.some((s) => s === 3);
  return {
    total,
    scores,
    missing,
    anySingleThree,
    band: missing.length === 0 ? news2Band(total, anySingleThree) : null,
    complete: missing.length === 0,
  };
}

/** RCP chart 4: >= 7 high, 5-6 medium, a 3 in one parameter low-medium, else low. */
export function news2Band(total: number, anySingleThree: boolean): News2Band {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  return anySingleThree ? 'low_medium' : 'low';
}

/**
 * CLINICAL.md v2: MOAA/S 5 and 4 map to "alert", MOAA/S <= 3 to CVPU. (v1 mapped 4 to CVPU,
 * which scored the expected mild ketamine sedation as 3 and raised a medium alert.)
 */
export function consciousnessFromMoaas(moaas: number | null | undefined): 'alert' | 'cvpu' | null {
  if (!isFiniteNumber(moaas)) return null;
  return moaas >= 4 ? 'alert' : 'cvpu';
}
