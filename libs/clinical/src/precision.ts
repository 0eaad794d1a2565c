import type { ReadingKind } from '@vigil/contracts';

/**
 * CLINICAL.md v2 "Precision": rules and messages use readings rounded to the unit's precision
 * (HR, resp. rate, SpO2 and BP to whole numbers, temperature to 0.1 C), so a message always
 * states a true relation (`HR 121 > 120`, never `HR 120 > 120` for a raw 120.4). The raw value
 * is kept in the event log.
 */
const DECIMALS: Readonly<Record<ReadingKind, number>> = {
  heart_rate: 0,
  bp_systolic: 0,
  bp_diastolic: 0,
  spo2: 0,
  resp_rate: 0,
  temperature: 1,
};

export function roundReading(kind: ReadingKind, value: number): number {
  const factor = 10 ** DECIMALS[kind];
  // Half away from zero on the decimal value, not on its binary approximation (36.05 -> 36.1).
  return Math.round((value + Number.EPSILON * Math.sign(value)) * factor) / factor;
}
