import type { SessionState } from '@vigil/contracts';
import {
  evaluateEndChecklist,
  latestBpPairs,
  type BpMeasurement,
  type EndChecklistResult,
  type Protocol,
} from '@vigil/clinical';
import type { SessionModel } from '../../read-model/session-model';
import { vitalMadeAt, type VitalPoint } from '../../read-model/vital-log';

/**
 * The last two BP pairs (systolic and diastolic measured at the same instant), newest first, as
 * the server pairs and dates them at sign-off: by the server's clock (`VitalPoint.madeAt`).
 */
export function lastBpPairs(vitals: Iterable<VitalPoint>): BpMeasurement[] {
  const readings = [];
  for (const v of vitals) readings.push({ ...v, madeAt: vitalMadeAt(v) });
  return latestBpPairs(readings);
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
