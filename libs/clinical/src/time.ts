/**
 * The clock is always an argument. An `Instant` is whatever the caller has to hand: a Date,
 * an ISO 8601 string (as in the contracts) or epoch milliseconds.
 */
export type Instant = Date | string | number;

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60 * MS_PER_SECOND;

/** Epoch milliseconds, or null when the instant cannot be read (never throws). */
export function toEpochMs(instant: Instant | null | undefined): number | null {
  if (instant === null || instant === undefined) return null;
  const ms =
    typeof instant === 'number'
      ? instant
      : typeof instant === 'string'
        ? Date.parse(instant)
        : instant.getTime();
  return Number.isFinite(ms) ? ms : null;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
