import { readingMayAlert } from '@vigil/clinical';
import { MAX_READINGS_PER_SUBMISSION, READING_KINDS, type ReadingKind } from '@vigil/contracts';
import type { AdmissionClass } from './admission';

const KINDS: ReadonlySet<string> = new Set(READING_KINDS);

/**
 * A reading as the raw payload holds it, if it looks like one: kind and value only. Hand-written
 * rather than a zod parse: this runs for every submission before admission, refused or not, and
 * the full parse (strict keys, times, ranges) comes after, for admitted ones only.
 */
export function rawReading(value: unknown): { kind: ReadingKind; value: number } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { kind, value: v } = value as { kind?: unknown; value?: unknown };
  if (typeof kind !== 'string' || !KINDS.has(kind)) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  return { kind: kind as ReadingKind, value: v };
}

/**
 * The admission class of a vitals submission (socket `vitals.submit` payload or REST body), from
 * its raw `readings`: `urgent` when one of them may raise a medium or high alert by itself
 * (`readingMayAlert`), else `routine`. Reads at most as many readings as the schema allows; a
 * malformed payload is routine here and refused by the schema later, with the field named.
 */
export function vitalsAdmissionClass(payload: unknown): AdmissionClass {
  const readings = (payload as { readings?: unknown } | null)?.readings;
  if (!Array.isArray(readings)) return 'routine';
  const n = Math.min(readings.length, MAX_READINGS_PER_SUBMISSION);
  for (let i = 0; i < n; i++) {
    const reading = rawReading(readings[i]);
    if (reading && readingMayAlert(reading)) return 'urgent';
  }
  return 'routine';
}
