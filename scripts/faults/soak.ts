// The soak (`npm run test:faults -- --soak 10m`): the instances' RSS sampled under steady load,
// and whether it grew.
import { setTimeout as sleep } from 'node:timers/promises';

const SOAK_SAMPLE_MS = 20_000;
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) throw new Error(`--soak ${s}: say 10m, 600s or 1h`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's']!;
}

/** Both instances' RSS (MB) every SOAK_SAMPLE_MS for `durationMs`. */
export async function sampleRss(
  [a, b]: Array<{ rssMb(): number }>,
  durationMs: number,
): Promise<Array<[number, number]>> {
  const series: Array<[number, number]> = [];
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    await sleep(Math.min(SOAK_SAMPLE_MS, Math.max(1, end - Date.now())));
    series.push([a.rssMb(), b.rssMb()]);
  }
  return series;
}

/**
 * RSS follows the garbage collector: one reading can sit 15 % above or below the next (a first
 * run compared two single readings and printed +20.7 % and -14.2 % for flat series). Growth
 * compares the median of the first five readings (20 s apart) with the last five.
 */
export function rssGrowth(series: Array<[number, number]>) {
  const at = (i: 0 | 1, part: Array<[number, number]>) => median(part.map((x) => x[i]));
  const first = [at(0, series.slice(0, 5)), at(1, series.slice(0, 5))];
  const last = [at(0, series.slice(-5)), at(1, series.slice(-5))];
  const growth = first.map((f, i) => (100 * (last[i] - f)) / f);
  const perMinute = series
    .filter((_, i) => i % 3 === 2)
    .map(([x, y]) => `${x.toFixed(0)}/${y.toFixed(0)}`)
    .join(' ');
  return { first, last, growth, perMinute };
}
