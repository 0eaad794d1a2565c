import { uniform, type Random } from './prng';

/** What can go wrong in a simulated session; each is drawn once per session at its rate. */
export const ADVERSE_EVENT_KINDS = [
  'hypertensive_spike',
  'desaturation',
  'oversedation',
  'missed_checkin',
  'help_press',
  'device_silent',
] as const;
export type AdverseEventKind = (typeof ADVERSE_EVENT_KINDS)[number];

/** Probability that a session has the event at all (0-1). */
export type AdverseRates = Record<AdverseEventKind, number>;

/**
 * Defaults chosen so a dozen-session demo shows a few alerts: the label reports 8-19% of
 * patients rising >= 40 mmHg systolic; the spike here (SBP > 180) is the severe end of that.
 */
export const DEFAULT_ADVERSE_RATES: AdverseRates = {
  hypertensive_spike: 0.1,
  desaturation: 0.1,
  oversedation: 0.05,
  missed_checkin: 0.1,
  help_press: 0.05,
  device_silent: 0.05,
};

export const NO_ADVERSE_EVENTS: AdverseRates = {
  hypertensive_spike: 0,
  desaturation: 0,
  oversedation: 0,
  missed_checkin: 0,
  help_press: 0,
  device_silent: 0,
};

export interface AdverseEvent {
  kind: AdverseEventKind;
  /** Simulated minutes after the dose. */
  startMin: number;
  durationMin: number;
  /** Spike: the peak SBP; desaturation: the SpO2 held. */
  level?: number;
}

export interface PlanOptions {
  /** The simulated minute the simulator starts driving: events are placed after it. */
  fromMin: number;
  /** Time acceleration: server-side hold delays run on real time (see README). */
  speed: number;
}

/** When, after the dose, each kind may start (simulated minutes): around the effect peak. */
const WINDOWS: Record<AdverseEventKind, [number, number]> = {
  hypertensive_spike: [0, 0],
  desaturation: [20, 120],
  oversedation: [30, 75],
  missed_checkin: [20, 150],
  help_press: [10, 150],
  device_silent: [20, 150],
};

function startIn(rng: Random, kind: AdverseEventKind, fromMin: number): number {
  const [lo, hi] = WINDOWS[kind];
  const first = Math.max(lo, fromMin + 2);
  return uniform(rng, first, first + (hi - lo));
}

/**
 * Each kind's timing (and level) from its drawn start and one more uniform draw. `held(s)` is a
 * duration the server judges on its own clock (a desaturation must hold 15 s before it alarms; a
 * device is offline after 60 s without a heartbeat): s real seconds whatever the speed, and never
 * less than s simulated seconds.
 */
type Timing = Omit<AdverseEvent, 'kind'>;
const TIMINGS: Record<
  AdverseEventKind,
  (start: number, extra: number, held: (seconds: number) => number) => Timing
> = {
  hypertensive_spike: (_start, extra) => ({
    startMin: 0,
    durationMin: 240,
    level: Math.round(182 + 16 * extra),
  }),
  desaturation: (start, extra, held) => ({
    startMin: start,
    durationMin: held(40 + 50 * extra),
    level: 88 + Math.floor(extra * 4),
  }),
  // Long enough to cover a 15-minute check-in, the only place MOAA/S is reported.
  oversedation: (start, extra) => ({ startMin: start, durationMin: 16 + 10 * extra }),
  missed_checkin: (start, extra) => ({ startMin: start, durationMin: 16 + 15 * extra }),
  help_press: (start) => ({ startMin: start, durationMin: 0 }),
  device_silent: (start, extra, held) => ({ startMin: start, durationMin: held(75 + 105 * extra) }),
};

/** The adverse events of one session, each kind at its rate. */
export function planAdverseEvents(
  rng: Random,
  rates: AdverseRates,
  options: PlanOptions,
): AdverseEvent[] {
  const held = (seconds: number) => Math.max((seconds * options.speed) / 60, seconds / 60);
  const events: AdverseEvent[] = [];
  for (const kind of ADVERSE_EVENT_KINDS) {
    // Always draw, so one kind's rate never shifts another kind's random stream.
    const roll = rng();
    const start = startIn(rng, kind, options.fromMin);
    const extra = rng();
    if (roll >= rates[kind]) continue;
    events.push({ kind, ...TIMINGS[kind](start, extra, held) });
  }
  return events;
}

export function activeEvent(
  events: readonly AdverseEvent[],
  kind: AdverseEventKind,
  minute: number,
): AdverseEvent | undefined {
  return events.find(
    (e) => e.kind === kind && minute >= e.startMin && minute < e.startMin + e.durationMin,
  );
}

/** Rates from `kind=p,kind=p`; unknown kinds and values outside 0-1 are refused by name. */
export function parseRates(text: string, base: AdverseRates = DEFAULT_ADVERSE_RATES): AdverseRates {
  const rates = { ...base };
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const [key, raw] = part.split('=').map((s) => s.trim());
    if (!(ADVERSE_EVENT_KINDS as readonly string[]).includes(key)) {
      throw new Error(`--adverse: unknown event ${key} (one of ${ADVERSE_EVENT_KINDS.join(', ')})`);
    }
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new Error(`--adverse: ${key} must be a probability from 0 to 1`);
    }
    rates[key as AdverseEventKind] = value;
  }
  return rates;
}
