import type { AlertPriority, ReadingKind } from '@vigil/contracts';
import type { AlertEngineState, KindReading, VitalConditionCode } from './alert-types';
import { scoreNews2, type News2Parameter } from './news2';
import {
  breaches,
  durationMs,
  formatNumber,
  PRIORITY_RANK,
  type AlertThreshold,
  type AlertThresholds,
  type Protocol,
} from './protocol';

/** One threshold level crossed now; `key` identifies it for its hold. */
export interface CandidateLevel {
  key: string;
  priority: AlertPriority;
  message: string;
  value: number;
  limit: number;
}

/**
 * A vital condition that can be judged from the latest values: the levels crossed now (highest
 * first; empty when clear), and the reading that decided it.
 */
export interface Candidate {
  condition: VitalConditionCode;
  /** Judged on a device stream: a level shows after the hold delay, clears after hysteresis. */
  continuous: boolean;
  /** Time of the latest reading behind it (epoch ms). */
  at: number;
  /** The log seq of the event that brought that reading, if known. */
  seq?: number;
  /** When the unbroken stream behind it began (a gap restarts the hold, v2). */
  streamStart: number;
  /**
   * The engine time the reading came in, when it is a lone device reading (none within the
   * stream interval before it) and nothing of its kind has come since; null otherwise. A sparse
   * device (a spot-check oximeter, a cuff's pulse) sends nothing within the hold delay after it,
   * so its low would wait for its next reading, minutes away: such a reading holds once it has
   * stood the delay, in the engine's time, with nothing newer (alert-holds.ts).
   */
  aloneSince: number | null;
  /**
   * The engine time the reading at `at` came in, while nothing of its kind measured earlier has
   * come since (KindReading.receivedAt); null when not known. Its arrival less `at` is how far
   * the stream's clock stands behind the engine's (a phone clock running slow, an outbox
   * delivering late): the auto-resolve counts a stream's clear time in its own measured time and
   * only then adds how long its latest reading has stood (alert-holds.ts).
   */
  receivedAt: number | null;
  levels: CandidateLevel[];
}

type ThresholdKey = keyof AlertThresholds;

/** Builds an alert's text from the judged value and the limit it crossed. */
type Wording = (value: string, limit: string) => string;

/**
 * Plain language a clinician reads at a glance (issue 12): the value and the limit, never a
 * comparator ("SpO2 89 % (limit 91)"), short enough for the board tile's one alert line. The
 * condition code stays in the alert's data for anything that needs to match on it.
 */
const limitText = (limit: string) => `(limit ${limit})`;

function level(
  value: number,
  key: ThresholdKey,
  protocol: Protocol,
  wording: Wording,
): CandidateLevel | null {
  const t: AlertThreshold = protocol.alerts[key];
  if (!breaches(value, t)) return null;
  return {
    key,
    priority: t.priority,
    message: wording(formatNumber(value), formatNumber(t.value)),
    value,
    limit: t.value,
  };
}

const SPO2: Wording = (v, l) => `SpO2 ${v} % ${limitText(l)}`;
const RR: Wording = (v, l) => `Resp. rate ${v} ${limitText(l)}`;
const HR: Wording = (v, l) => `HR ${v} ${limitText(l)}`;

type CandidateSource = Pick<
  KindReading,
  'continuous' | 'at' | 'streamStart' | 'burstStart' | 'seq' | 'receivedAt'
>;

/** A lone device reading's arrival in the engine (`Candidate.aloneSince`), or null. */
function loneSince(k: CandidateSource): number | null {
  const lone = k.continuous && (k.burstStart ?? k.streamStart) === k.at;
  return lone ? (k.receivedAt ?? null) : null;
}

function candidate(
  condition: VitalConditionCode,
  source: CandidateSource,
  levels: Array<CandidateLevel | null>,
  aloneSince: number | null = loneSince(source),
): Candidate {
  const crossed = levels.filter((l): l is CandidateLevel => l !== null);
  crossed.sort((a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority]);
  return {
    condition,
    continuous: source.continuous,
    at: source.at,
    ...(source.seq === undefined ? {} : { seq: source.seq }),
    streamStart: source.streamStart,
    aloneSince,
    receivedAt: source.receivedAt ?? null,
    levels: crossed,
  };
}

/** Which direct rule already covers a NEWS2 parameter that scores 3 (one cause, one alert). */
const NEWS2_COVERED_BY: Readonly<Record<News2Parameter, VitalConditionCode | null>> = {
  resp_rate: 'rr_low',
  spo2: 'spo2_low',
  supplemental_oxygen: null,
  systolic_bp: 'sbp_high',
  pulse: 'hr_high',
  consciousness: 'moaas_low',
  temperature: null,
};

const NEWS2_KIND: Readonly<Record<News2Parameter, ReadingKind | null>> = {
  resp_rate: 'resp_rate',
  spo2: 'spo2',
  supplemental_oxygen: null,
  systolic_bp: 'bp_systolic',
  pulse: 'heart_rate',
  consciousness: null,
  temperature: 'temperature',
};

/**
 * The vital conditions judged from the latest values at `now`; pure, and O(1) in past events.
 * Every condition with a value to judge is returned, crossed or clear, so the holds can tell a
 * clear reading from no reading.
 */
export function vitalCandidates(
  state: AlertEngineState,
  now: number,
  protocol: Protocol,
): Candidate[] {
  const r = state.readings;
  const out: Array<Candidate | null> = [];
  if (r.spo2) {
    out.push(
      candidate('spo2_low', r.spo2, [
        level(r.spo2.value, 'spo2Low', protocol, SPO2),
        level(r.spo2.value, 'spo2Borderline', protocol, SPO2),
      ]),
    );
  }
  if (r.resp_rate) {
    out.push(candidate('rr_low', r.resp_rate, [level(r.resp_rate.value, 'rrLow', protocol, RR)]));
  }
  out.push(bpCandidate(state, 'sbp_high', 'bp_systolic', protocol));
  out.push(bpCandidate(state, 'dbp_high', 'bp_diastolic', protocol));
  if (r.heart_rate) {
    out.push(
      candidate('hr_high', r.heart_rate, [level(r.heart_rate.value, 'hrHigh', protocol, HR)]),
    );
  }
  out.push(...moaasCandidates(state, protocol));
  out.push(preDoseCaution(state, protocol));
  const direct = out.filter((c): c is Candidate => c !== null);
  return [...direct, ...news2Candidates(state, now, protocol, direct)];
}

/**
 * One cause, one alert (v2): the BP-rise level is folded into the SBP/DBP-high condition, so a
 * rise that goes on to cross the absolute limit is one alert whose priority rises.
 */
function bpCandidate(
  state: AlertEngineState,
  condition: 'sbp_high' | 'dbp_high',
  kind: 'bp_systolic' | 'bp_diastolic',
  protocol: Protocol,
): Candidate | null {
  const reading = state.readings[kind];
  if (!reading) return null;
  const systolic = kind === 'bp_systolic';
  const label = systolic ? 'SBP' : 'DBP';
  // The half that crossed, by itself: the pair is in the tile's BP cell beside it, and
  // "BP 186/95 (limit 180 systolic)" did not fit the tile's alert line at 1920x1080.
  const high = level(
    reading.value,
    systolic ? 'sbpHigh' : 'dbpHigh',
    protocol,
    (v, l) => `${label} ${v} ${limitText(l)}`,
  );
  const baseline = state.baseline ? state.baseline[systolic ? 'sbp' : 'dbp'] : null;
  const rise =
    baseline === null
      ? null
      : level(
          reading.value - baseline,
          systolic ? 'sbpRise' : 'dbpRise',
          protocol,
          (v, l) => `${label} up ${v} ${limitText(`+${l}`)}`,
        );
  return candidate(condition, reading, [high, rise]);
}

/**
 * MOAA/S (v2): <= 2 high and 3 medium (`moaas_low`); 4 below a pre-dose 5 is the expected
 * ketamine sedation, informational only (`sedation`), and never both for one reading.
 */
function moaasCandidates(state: AlertEngineState, protocol: Protocol): Candidate[] {
  const m = state.moaas;
  if (!m) return [];
  const source = { continuous: false, at: m.at, streamStart: m.at, seq: m.seq };
  const low = candidate('moaas_low', source, [
    level(m.value, 'moaasLow', protocol, (v, l) => `MOAA/S ${v} ${limitText(l)}`),
    level(m.value, 'moaasMedium', protocol, (v, l) => `MOAA/S ${v} ${limitText(l)}`),
  ]);
  const preDose = state.preDoseMoaas ?? 5;
  const sedated = low.levels.length === 0 && m.value < preDose;
  const sedation = candidate(
    'sedation',
    source,
    sedated
      ? [
          {
            key: 'sedation',
            priority: protocol.priorities.sedation.priority,
            message: `Drowsy: MOAA/S ${m.value}, pre-dose ${preDose}`,
            value: m.value,
            limit: preDose,
          },
        ]
      : [],
  );
  return [low, sedation];
}

function preDoseCaution(state: AlertEngineState, protocol: Protocol): Candidate | null {
  const b = state.baseline;
  if (!b) return null;
  const { cautionSbp, cautionDbp } = protocol.preDose;
  const overSbp = breaches(b.sbp, cautionSbp);
  const crossed = overSbp || breaches(b.dbp, cautionDbp);
  // While a no-go holds the dose, its own alert says it all (one cause, one alert).
  const blocked = state.latched.predose_no_go !== undefined;
  const p = protocol.priorities;
  const priority =
    state.dosedAt !== null ? p.preDoseCautionDosed.priority : p.preDoseCautionBeforeDose.priority;
  const source = { continuous: false, at: 0, streamStart: 0 };
  return candidate(
    'predose_caution',
    source,
    crossed && !blocked
      ? [
          {
            key: 'preDoseCaution',
            priority,
            message: `BP ${b.sbp}/${b.dbp} (caution ${cautionSbp.value}/${cautionDbp.value})`,
            value: overSbp ? b.sbp : b.dbp,
            limit: overSbp ? cautionSbp.value : cautionDbp.value,
          },
        ]
      : [],
  );
}

function news2Candidates(
  state: AlertEngineState,
  now: number,
  protocol: Protocol,
  direct: readonly Candidate[],
): Candidate[] {
  const r = state.readings;
  // v2: a value older than 15 min counts as missing. A reading is aged by the server's clock: from
  // its commit less the time it waited on the phone (v1.14, the submission's `sentAt`), never from
  // its measuredAt, the phone's clock: a value typed in now on a phone whose clock runs 16 min slow
  // counted as missing, a resp. rate 28 (NEWS2 3, no rule of its own) raising nothing; and a resp.
  // rate held 30 min in the phone's outbox by a tunnel counted as fresh for 15 min after it got
  // through. Without a `sentAt` it counts from its commit, as a check-in without one does. A
  // MOAA/S is dated by the server's clock already (ingestCheckIn). The dashboard ages its score
  // alike (news2-input.ts).
  const maxAge = durationMs(protocol.timings.news2MaxAge);
  const fresh = (at: number | undefined) => at !== undefined && now - at <= maxAge;
  const agedFrom = (k: KindReading | undefined) =>
    k ? Math.max(k.at, k.committedAt ?? k.at) - (k.waitedMs ?? 0) : undefined;
  const value = (kind: ReadingKind) => (fresh(agedFrom(r[kind])) ? r[kind]?.value : undefined);
  const news2 = scoreNews2({
    respRate: value('resp_rate'),
    spo2: value('spo2'),
    supplementalOxygen: state.supplementalOxygen,
    systolic: value('bp_systolic'),
    pulse: value('heart_rate'),
    moaas: fresh(state.moaas?.at) ? state.moaas?.value : undefined,
    temperature: value('temperature'),
  });
  const scored = Object.keys(news2.scores) as News2Parameter[];
  if (scored.length === 0) return [];
  const kinds = scored
    .map((p) => NEWS2_KIND[p])
    .filter((k): k is ReadingKind => k !== null && r[k] !== undefined)
    .map((k) => r[k]!);
  const streams = kinds.filter((k) => k.continuous);
  // The score's time is its latest value's, and its arrival that value's: a MOAA/S is dated by
  // the server's clock already (ingestCheckIn), so it arrived when it was made.
  const latest = kinds.reduce<KindReading | null>((a, k) => (a && a.at >= k.at ? a : k), null);
  const moaasLatest = state.moaas !== null && (latest === null || state.moaas.at >= latest.at);
  const source = {
    continuous: streams.length > 0,
    at: Math.max(state.moaas?.at ?? -Infinity, ...kinds.map((k) => k.at)),
    streamStart: Math.max(-Infinity, ...streams.map((k) => k.streamStart)),
    receivedAt: moaasLatest ? state.moaas?.at : latest?.receivedAt,
  };
  // When every device value in the score is a lone reading (a cuff's pulse beside typed values),
  // the score holds as they do: once the last of them has stood the delay.
  const lone = streams.map(loneSince);
  const aloneSince =
    lone.length > 0 && !lone.includes(null) ? Math.max(...(lone as number[])) : null;
  // An incomplete score is a lower bound: the missing parameters can only add to it.
  const news2Wording: Wording = (v, l) =>
    `NEWS2 ${v}${news2.missing.length > 0 ? '+' : ''} ${limitText(l)}`;
  const out: Candidate[] = [
    candidate(
      'news2_high',
      source,
      [level(news2.total, 'news2High', protocol, news2Wording)],
      aloneSince,
    ),
    // Also crossed at >= 7 so a rise from 6 to 7 never leaves a gap while the high level holds;
    // the engine hides it whenever news2_high is shown.
    candidate(
      'news2_medium',
      source,
      [level(news2.total, 'news2Medium', protocol, news2Wording)],
      aloneSince,
    ),
  ];
  // A parameter scoring 3 that a direct rule already raises would be a duplicate alarm.
  const covered = (p: News2Parameter): boolean => {
    const code = NEWS2_COVERED_BY[p];
    return direct.some(
      (c) =>
        c.condition === code &&
        c.levels.some((l) => PRIORITY_RANK[l.priority] >= PRIORITY_RANK.medium),
    );
  };
  const threes = scored.filter((p) => news2.scores[p] === 3 && !covered(p));
  const named = threes.map((p) => describeParameter(p, state)).join(', ');
  out.push(
    candidate(
      'news2_single_3',
      source,
      [
        threes.length > 0
          ? level(3, 'news2SingleParameter', protocol, () => `${named} (NEWS2 3)`)
          : null,
      ],
      aloneSince,
    ),
  );
  return out;
}

/** The parameter and its value as the tile names them ("Temp 34.8 °C", "Pulse 40"). */
function describeParameter(p: News2Parameter, state: AlertEngineState): string {
  if (p === 'consciousness') return `MOAA/S ${state.moaas?.value ?? '?'}`;
  if (p === 'supplemental_oxygen') return 'Oxygen given';
  const kind = NEWS2_KIND[p];
  const value = kind ? state.readings[kind]?.value : undefined;
  const shown = value === undefined ? '?' : formatNumber(value);
  return `${NEWS2_PARAMETER_WORDS[p]} ${shown}${p === 'temperature' ? ' °C' : p === 'spo2' ? ' %' : ''}`;
}

const NEWS2_PARAMETER_WORDS: Readonly<Record<News2Parameter, string>> = {
  resp_rate: 'Resp. rate',
  spo2: 'SpO2',
  supplemental_oxygen: 'Oxygen given',
  systolic_bp: 'SBP',
  pulse: 'Pulse',
  consciousness: 'MOAA/S',
  temperature: 'Temp',
};

/**
 * The parameters a `news2_single_3` message names, read back with describeParameter's words: the
 * alert carries them in its message alone, and the FHIR export points at their observations.
 */
export function news2ParametersNamed(message: string): News2Parameter[] {
  const parts = message.replace(/ \(NEWS2 3\)$/, '').split(', ');
  return (Object.keys(NEWS2_PARAMETER_WORDS) as News2Parameter[]).filter((p) => {
    const words = NEWS2_PARAMETER_WORDS[p];
    return parts.some((part) => part === words || part.startsWith(`${words} `));
  });
}
