import { createLTTB } from 'downsample';
import type { ReadingKind } from '@vigil/contracts';
import type { VitalPoint } from '../../read-model/vital-log';

export interface ChartPoint {
  /** Minutes since the dose (negative before it). */
  t: number;
  [series: string]: number;
}

const minutesSince = (iso: string, doseMs: number) => (Date.parse(iso) - doseMs) / 60_000;

/**
 * One chart's points against minutes since the dose, oldest first. Readings measured at the same
 * instant (a BP cuff's systolic and diastolic) share one point, so the two lines line up.
 */
export function chartSeries(
  vitals: Iterable<VitalPoint>,
  kinds: Partial<Record<ReadingKind, string>>,
  dosedAt: string | null,
  fallbackStart: number,
): ChartPoint[] {
  const doseMs = dosedAt ? Date.parse(dosedAt) : fallbackStart;
  const byTime = new Map<string, ChartPoint>();
  for (const v of vitals) {
    const series = kinds[v.kind];
    if (!series) continue;
    const t = Math.round(minutesSince(v.measuredAt, doseMs) * 100) / 100;
    if (!Number.isFinite(t)) continue;
    const key = String(t);
    const point = byTime.get(key) ?? { t };
    point[series] = v.value;
    byTime.set(key, point);
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

/** The x range: from a little before the dose (or the first point) to at least the 120 min mark. */
export function timeDomain(
  points: readonly ChartPoint[],
  nowMinutes: number,
  minEnd = 120,
): [number, number] {
  const first = points.length > 0 ? points[0].t : 0;
  const last = points.length > 0 ? points[points.length - 1].t : 0;
  return [Math.floor(Math.min(-5, first)), Math.ceil(Math.max(minEnd, nowMinutes, last))];
}

/** The value axis moves in whole tens, so its ticks stay round numbers (70, 80, ... not 72, 79). */
const VALUE_STEP = 10;

/**
 * The value axis: the chart's usual range (`usual`, e.g. SpO2 80-100) widened to every value of
 * `keys` in `points`, out to the next ten. A fixed range clipped what fell outside it: a
 * desaturation to 72 % was drawn on the 80 line, and 79 could not be told from 55.
 */
export function valueDomain(
  points: readonly ChartPoint[],
  keys: readonly string[],
  usual: readonly [number, number],
): [number, number] {
  let [low, high] = usual;
  for (const p of points)
    for (const k of keys) {
      const v = p[k];
      if (!Number.isFinite(v)) continue;
      if (v < low) low = Math.floor(v / VALUE_STEP) * VALUE_STEP;
      if (v > high) high = Math.ceil(v / VALUE_STEP) * VALUE_STEP;
    }
  return [low, high];
}

/** At most this many gaps between the value axis's ticks. */
const MAX_TICK_GAPS = 6;

/**
 * The value axis's ticks in round steps (5, or a multiple of ten) from its low end, and its high
 * end, so a widened SpO2 axis reads 70, 75, ... 100, not recharts' 70, 78, 86, 94, 100. A step
 * that does not divide the range leaves a shorter last gap, never a tick crowding the high end.
 */
export function valueTicks([low, high]: readonly [number, number]): number[] {
  const span = high - low;
  let step = 5;
  while (Math.ceil(span / step) > MAX_TICK_GAPS) step = step === 5 ? 10 : step + 10;
  const ticks: number[] = [];
  for (let v = low; v < high - step / 2; v += step) ticks.push(v);
  ticks.push(high);
  return ticks;
}

/**
 * At most this many points per line: about one per horizontal pixel of a session-view chart.
 * Two hours of 1 Hz SpO2 is 7,200 samples, which drew as a smear of dots and slowed the page.
 */
export const MAX_LINE_POINTS = 300;

/**
 * Thins a streamed series for drawing with Largest-Triangle-Three-Buckets (the maintained
 * `downsample` package, not hand-written): it keeps the samples that shape the line, so a brief
 * desaturation dip or a heart-rate spike stays visible. Only the drawing is thinned; rules,
 * alerts and the tile use every reading.
 */
export function thinSeries(
  points: readonly ChartPoint[],
  key: string,
  maxPoints = MAX_LINE_POINTS,
): ChartPoint[] {
  const present = points.filter((p) => Number.isFinite(p[key]));
  if (present.length <= maxPoints) return present;
  const lttb = createLTTB<ChartPoint>({ x: (p) => p.t, y: (p) => p[key] });
  return Array.from(lttb(present, maxPoints) as ArrayLike<ChartPoint>);
}
