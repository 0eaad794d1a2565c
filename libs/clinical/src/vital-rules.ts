import type { AlertPriority, ReadingKind } from '@vigil/contracts';
import type { AlertEngineState, VitalConditionCode } from './alert-types';
import { scoreNews2, type News2Parameter } from './news2';
import {
  breaches,
  describeBreach,
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

/** A vital condition whose thresholds are crossed by the latest values (highest level first). */
export interface Candidate {
  condition: VitalConditionCode;
  /** Built from a continuous stream, so it must hold for the protocol delay before it shows. */
  continuous: boolean;
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
  continuous: boolean,
  levels: Array<CandidateLevel | null>,
): Candidate | null {
  const crossed = levels.filter((l): l is CandidateLevel => l !== null);
  crossed.sort((a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority]);
  return crossed.length > 0 ? { condition, continuous, levels: crossed } : null;
}

/** Which direct rule already covers a NEWS2 parameter that scores 3. */
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

/** The vital conditions crossed by the latest values; pure, and O(1) in past events. */
export function vitalCandidates(state: AlertEngineState, protocol: Protocol): Candidate[] {
  const r = state.readings;
  const out: Array<Candidate | null> = [];
  const spo2 = r.spo2;
  if (spo2) {
    out.push(
      candidate('spo2_low', spo2.continuous, [
        level('SpO2', spo2.value, 'spo2Low', protocol),
        level('SpO2', spo2.value, 'spo2Borderline', protocol),
      ]),
    );
  }
  if (r.resp_rate) {
    out.push(
      candidate('rr_low', r.resp_rate.continuous, [
        level('RR', r.resp_rate.value, 'rrLow', protocol),
      ]),
    );
  }
  const sbp = r.bp_systolic;
  if (sbp) {
    out.push(candidate('sbp_high', sbp.continuous, [level('SBP', sbp.value, 'sbpHigh', protocol)]));
    if (state.baseline) {
      out.push(
        riseCandidate(
          'sbp_rise',
          'SBP',
          sbp.value,
          state.baseline.sbp,
          sbp.continuous,
          'sbpRise',
          protocol,
        ),
      );
    }
  }
  const dbp = r.bp_diastolic;
  if (dbp) {
    out.push(candidate('dbp_high', dbp.continuous, [level('DBP', dbp.value, 'dbpHigh', protocol)]));
    if (state.baseline) {
      out.push(
        riseCandidate(
          'dbp_rise',
          'DBP',
          dbp.value,
          state.baseline.dbp,
          dbp.continuous,
          'dbpRise',
          protocol,
        ),
      );
    }
  }
  if (r.heart_rate) {
    out.push(
      candidate('hr_high', r.heart_rate.continuous, [
        level('HR', r.heart_rate.value, 'hrHigh', protocol),
      ]),
    );
  }
  if (state.moaas) {
    out.push(
      candidate('moaas_low', false, [level('MOAA/S', state.moaas.value, 'moaasLow', protocol)]),
    );
  }
  out.push(preDoseCaution(state, protocol));
  const direct = out.filter((c): c is Candidate => c !== null);
  return [...direct, ...news2Candidates(state, protocol, direct)];
}

function riseCandidate(
  condition: VitalConditionCode,
  label: string,
  value: number,
  baseline: number,
  continuous: boolean,
  key: 'sbpRise' | 'dbpRise',
  protocol: Protocol,
): Candidate | null {
  const rise = value - baseline;
  const crossed = level(`${label} rise`, rise, key, protocol);
  if (!crossed) return null;
  const message = `${crossed.message} over baseline ${baseline} (now ${value})`;
  return candidate(condition, continuous, [{ ...crossed, message }]);
}

function preDoseCaution(state: AlertEngineState, protocol: Protocol): Candidate | null {
  const b = state.baseline;
  const { cautionSbp, cautionDbp } = protocol.preDose;
  if (!b || (b.sbp <= cautionSbp.value && b.dbp <= cautionDbp.value)) return null;
  const p = protocol.priorities;
  const priority =
    state.dosedAt !== null ? p.preDoseCautionDosed.priority : p.preDoseCautionBeforeDose.priority;
  const overSbp = b.sbp > cautionSbp.value;
  return candidate('predose_caution', false, [
    {
      key: 'preDoseCaution',
      priority,
      message: `Pre-dose BP ${b.sbp}/${b.dbp} > ${cautionSbp.value}/${cautionDbp.value}`,
      value: overSbp ? b.sbp : b.dbp,
      limit: overSbp ? cautionSbp.value : cautionDbp.value,
    },
  ]);
}

function news2Candidates(
  state: AlertEngineState,
  protocol: Protocol,
  direct: readonly Candidate[],
): Candidate[] {
  const r = state.readings;
  const news2 = scoreNews2({
    respRate: r.resp_rate?.value,
    spo2: r.spo2?.value,
    supplementalOxygen: state.supplementalOxygen,
    systolic: r.bp_systolic?.value,
    pulse: r.heart_rate?.value,
    moaas: state.moaas?.value,
    temperature: r.temperature?.value,
  });
  const scored = Object.keys(news2.scores) as News2Parameter[];
  if (scored.length === 0) return [];
  const isContinuous = (p: News2Parameter): boolean => {
    const kind = NEWS2_KIND[p];
    return kind !== null && r[kind]?.continuous === true;
  };
  const missing = news2.missing.length > 0 ? ` (missing ${news2.missing.join(', ')})` : '';
  const out: Array<Candidate | null> = [
    candidate('news2_high', scored.some(isContinuous), [
      withSuffix(level('NEWS2', news2.total, 'news2High', protocol), missing),
    ]),
    // Also crossed at >= 7 so a rise from 6 to 7 never leaves a gap while the high level holds;
    // the engine hides it whenever news2_high is shown.
    candidate('news2_medium', scored.some(isContinuous), [
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
  if (threes.length > 0) {
    const crossed = level('NEWS2 single parameter', 3, 'news2SingleParameter', protocol);
    out.push(
      candidate('news2_single_3', threes.some(isContinuous), [
        withSuffix(crossed, `: ${threes.map((p) => describeParameter(p, state)).join(', ')}`),
      ]),
    );
  }
  return out.filter((c): c is Candidate => c !== null);
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
