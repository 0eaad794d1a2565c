import type { BpMeasurement } from './session-snapshot';

/** A systolic or diastolic reading as BPs are made of it. */
export interface BpReading {
  kind: string;
  value: number;
  /** By the clock of whoever measured it: it pairs a systolic with its diastolic. */
  measuredAt: string;
  /** When it was measured by the server's clock (epoch ms, `readingMadeAt`): it dates the BP. */
  madeAt: number;
}

/**
 * The last `count` BPs, newest first: a systolic and a diastolic measured at the same instant
 * (a cuff's or a form's pair, which share a measuredAt), dated by the server's clock: as old as
 * the older of the two. The end checklist ages its BP from that, against the server's now:
 * a phone's own clock made a BP taken 20 min before sign-off read 10 min old on a phone 10 min
 * fast, and one taken 6 min before read 16 min old on a phone 10 min slow. In log order, a
 * later reading of the same instant and kind takes the place of an earlier one (a retyped value).
 */
export function latestBpPairs(readings: Iterable<BpReading>, count = 2): BpMeasurement[] {
  const byInstant = new Map<number, { sbp?: number; dbp?: number; at: number }>();
  for (const r of readings) {
    if (r.kind !== 'bp_systolic' && r.kind !== 'bp_diastolic') continue;
    const instant = Date.parse(r.measuredAt);
    if (Number.isNaN(instant) || Number.isNaN(r.madeAt)) continue;
    const bp = byInstant.get(instant) ?? { at: r.madeAt };
    if (r.kind === 'bp_systolic') bp.sbp = r.value;
    else bp.dbp = r.value;
    bp.at = Math.min(bp.at, r.madeAt);
    byInstant.set(instant, bp);
  }
  const pairs: BpMeasurement[] = [];
  for (const { sbp, dbp, at } of byInstant.values())
    if (sbp !== undefined && dbp !== undefined) pairs.push({ sbp, dbp, at });
  return pairs.sort((a, b) => Number(b.at) - Number(a.at)).slice(0, count);
}
