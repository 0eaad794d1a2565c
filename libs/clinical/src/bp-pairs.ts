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

/** A BP as the readings make it: either side may be missing (a lone value typed in). */
export interface BpAtInstant {
  sbp?: number;
  dbp?: number;
  /** By the server's clock (epoch ms): as old as the older of its two readings. */
  at: number;
}

/**
 * Every BP of the readings, complete or not, in no order: a systolic and a diastolic measured at
 * the same instant (a cuff's or a form's pair, which share a measuredAt) are one BP, dated by the
 * server's clock. In log order, a later reading of the same instant and kind takes the place of an
 * earlier one (a retyped value). The sign-off's checklist (`latestBpPairs`) and the REMS report
 * both pair readings here.
 */
export function bpsByInstant(readings: Iterable<BpReading>): BpAtInstant[] {
  const byInstant = new Map<number, BpAtInstant>();
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
  return [...byInstant.values()];
}

/**
 * The last `count` complete BPs, newest first (`bpsByInstant`). The end checklist ages its BP
 * from their time, against the server's now: a phone's own clock made a BP taken 20 min before
 * sign-off read 10 min old on a phone 10 min fast, and one taken 6 min before read 16 min old on
 * a phone 10 min slow.
 */
export function latestBpPairs(readings: Iterable<BpReading>, count = 2): BpMeasurement[] {
  const pairs: BpMeasurement[] = [];
  for (const { sbp, dbp, at } of bpsByInstant(readings))
    if (sbp !== undefined && dbp !== undefined) pairs.push({ sbp, dbp, at });
  return pairs.sort((a, b) => Number(b.at) - Number(a.at)).slice(0, count);
}
