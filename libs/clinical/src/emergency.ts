import type { SymptomCode } from '@vigil/contracts';
import { EMERGENCY_SYMPTOMS } from './alert-types';

/**
 * CLINICAL.md alert table: a MOAA/S score at or below this is a high alert (`moaas_low`). The
 * default protocol's rule and the phone's "call emergency services now" advice both read it here.
 */
export const MOAAS_HIGH_AT_OR_BELOW = 2;

/** Answers that mean "call emergency services now", not "wait for the next check-in". */
export function isEmergencyCheckIn(
  moaas: number | undefined,
  symptoms: readonly SymptomCode[],
): boolean {
  return (
    (moaas !== undefined && moaas <= MOAAS_HIGH_AT_OR_BELOW) ||
    symptoms.some((s) => EMERGENCY_SYMPTOMS.includes(s))
  );
}
