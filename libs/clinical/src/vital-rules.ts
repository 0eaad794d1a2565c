import type { AlertPriority, ReadingKind } from '@vigil/contracts';
import type { AlertEngineState, KindReading, VitalConditionCode } from './alert-types';
import { scoreNews2, type News2Parameter } from './news2';
import {
  breaches,
  describeBreach,
  durationMs,
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
  /** When the unbroken stream behind it began (a gap restarts the hold, v2). */
  streamStart: number;
  levels: CandidateLevel[];
}

type ThresholdKey = keyof AlertThresholds;

function level(
  label: string,
  value: number,
  key: ThresholdKey,
  protocol: Protocol,
): CandidateLevel | null {
  const t: AlertThreshold = protocol.alerts[key];
  if (!breaches(value, t)) return null;
  return {
    key,
    priority: t.priority,
    message: describeBreach(label, value, t),
    value,
    limit: t.value,
  };
}

function candidate(
  condition: VitalConditionCode,
  source: Pick<KindReading, 'continuous' | 'at' | 'streamStart'>,
  levels: Array<CandidateLevel | null>,
): Candidate {
  const crossed = levels.filter((l): l is CandidateLevel => l !== null);
  crossed.sort((a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority]);
  return {
    condition,
    continuous: source.continuous,
    at: source.at,
    streamStart: source.streamStart,
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
        level('SpO2', r.spo2.value, 'spo2Low', protocol),
        level('SpO2', r.spo2.value, 'spo2Borderline', protocol),
      ]),
    );
  }
  if (r.resp_rate) {
    out.push(candidate('rr_low', r.resp_rate, [level('RR', r.resp_rate.value, 'rrLow', protocol)]));
  }
  out.push(bpCandidate(state, 'sbp_high', 'bp_systolic', protocol));
  out.push(bpCandidate(state, 'dbp_high', 'bp_diastolic', protocol));
  if (r.heart_rate) {
    out.push(
      candidate('hr_high', r.heart_rate, [level('HR', r.heart_rate.value, 'hrHigh', protocol)]),
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
  const label = kind === 'bp_systolic' ? 'SBP' : 'DBP';
  const high = level(
    label,
    reading.value,
    kind === 'bp_systolic' ? 'sbpHigh' : 'dbpHigh',
    protocol,
  );
  const baseline = state.baseline ? state.baseline[kind === 'bp_systolic' ? 'sbp' : 'dbp'] : null;
  let rise: CandidateLevel | null = null;
  if (baseline !== null) {
    const crossed = level(
      `${label} rise`,
      reading.value - baseline,
      kind === 'bp_systolic' ? 'sbpRise' : 'dbpRise',
      protocol,
    );
    if (crossed) {
      rise = {
        ...crossed,
        message: `${crossed.message} over baseline ${baseline} (now ${reading.value})`,
      };
    }
  }
  return candidate(condition, reading, [high, rise]);
}

/**
 * MOAA/S (v2): <= 2 high and 3 medium (`moaas_low`); 4 below a pre-dose 5 is the expected
 * ketamine sedation, informational only (`sedation`), and never both for one reading.
 */
function moaasCandidates(state: AlertEngineState, protocol: Protocol): Candidate[] {
  const m = state.moaas;
  if (!m) return [];
  const source = { continuous: false, at: m.at, streamStart: m.at };
  const low = candidate('moaas_low', source, [
    level('MOAA/S', m.value, 'moaasLow', protocol),
    level('MOAA/S', m.value, 'moaasMedium', protocol),
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
            message: `Sedation: MOAA/S ${m.value} below pre-dose ${preDose}`,
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
            message: `Pre-dose BP ${b.sbp}/${b.dbp} >= ${cautionSbp.value}/${cautionDbp.value}`,
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
  // v2: a value older than 15 min counts as missing.
  const maxAge = durationMs(protocol.timings.news2MaxAge);
  const fresh = (at: number | undefined) => at !== undefined && now - at <= maxAge;
  const value = (kind: ReadingKind) => (fresh(r[kind]?.at) ? r[kind]?.value : undefined);
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
  const source = {
    continuous: streams.length > 0,
    at: Math.max(state.moaas?.at ?? -Infinity, ...kinds.map((k) => k.at)),
    streamStart: Math.max(-Infinity, ...streams.map((k) => k.streamStart)),
  };
  const missing = news2.missing.length > 0 ? ` (missing ${news2.missing.join(', ')})` : '';
  const out: Candidate[] = [
    candidate('news2_high', source, [
      withSuffix(level('NEWS2', news2.total, 'news2High', protocol), missing),
    ]),
    // Also crossed at >= 7 so a rise from 6 to 7 never leaves a gap while the high level holds;
    // the engine hides it whenever news2_high is shown.
    candidate('news2_medium', source, [
      withSuffix(level('NEWS2', news2.total, 'news2Medium', protocol), missing),
    ]),
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
  const crossed =
    threes.length > 0 ? level('NEWS2 single parameter', 3, 'news2SingleParameter', protocol) : null;
  out.push(
    candidate('news2_single_3', source, [
      withSuffix(crossed, `: ${threes.map((p) => describeParameter(p, state)).join(', ')}`),
    ]),
  );
  return out;
}

function withSuffix(l: CandidateLevel | null, suffix: string): CandidateLevel | null {
  return l ? { ...l, message: `${l.message}${suffix}` } : null;
}

function describeParameter(p: News2Parameter, state: AlertEngineState): string {
  if (p === 'consciousness') return `consciousness (MOAA/S ${state.moaas?.value ?? '?'})`;
  if (p === 'supplemental_oxygen') return 'supplemental oxygen';
  const kind = NEWS2_KIND[p];
  const value = kind ? state.readings[kind]?.value : undefined;
  return `${p.replace('_', ' ')} ${value ?? '?'}`;
}
