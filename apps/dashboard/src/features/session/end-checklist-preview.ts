import type { SessionState } from '@vigil/contracts';
import {
  evaluateEndChecklist,
  type BpMeasurement,
  type EndChecklistResult,
  type Protocol,
} from '@vigil/clinical';
import type { SessionModel } from '../../read-model/session-model';
import type { VitalPoint } from '../../read-model/vital-log';

/** The last two BP pairs (systolic and diastolic measured at the same instant), newest first. */
export function lastBpPairs(vitals: Iterable<VitalPoint>): BpMeasurement[] {
  const dbpAt = new Map<string, number>();
  for (const v of vitals) if (v.kind === 'bp_diastolic') dbpAt.set(v.measuredAt, v.value);
  const pairs: BpMeasurement[] = [];
  for (const v of vitals) {
    const dbp = dbpAt.get(v.measuredAt);
    if (v.kind === 'bp_systolic' && dbp !== undefined)
      pairs.push({ sbp: v.value, dbp, at: v.measuredAt });
  }
  pairs.sort((a, b) => Date.parse(String(b.at)) - Date.parse(String(a.at)));
  return pairs.slice(0, 2);
}

/**
 * The end checklist as the server will judge it at sign-off, computed from what this screen
 * knows. A preview only: the sign-off request is refused with reasons if the server disagrees.
 */
export function previewEndChecklist(
  model: SessionModel,
  dosedAt: string | null,
  now: number,
  protocol: Protocol,
): EndChecklistResult {
  const [latestBp, previousBp] = lastBpPairs(model.vitals);
  const latest = <K extends 'moaas' | 'dissociation'>(key: K) =>
    [...model.checkIns].reverse().find((c) => c[key] !== undefined)?.[key] ?? null;
  return evaluateEndChecklist(
    {
      state: (model.state ?? 'monitoring') as SessionState,
      dosedAt,
      screening: model.screening
        ? {
            sbp: model.screening.sbp,
            dbp: model.screening.dbp,
            moaasBaseline: model.screening.moaasBaseline,
          }
        : null,
      latestBp: latestBp ?? null,
      previousBp: previousBp ?? null,
      latestPulse: model.latest.heart_rate?.value ?? null,
      latestMoaas: latest('moaas'),
      latestDissociation: latest('dissociation'),
      openConditions: Object.values(model.alerts)
        .filter((a) => a.status !== 'resolved')
        .map((a) => a.condition),
    },
    now,
    protocol,
  );
}
