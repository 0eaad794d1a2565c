import { DEFAULT_ORAL_PROTOCOL, durationMs } from '@vigil/clinical';
import type { SessionModel } from './session-model';

export const CHECK_IN_INTERVAL_MS = durationMs(DEFAULT_ORAL_PROTOCOL.timings.checkInInterval);

export interface CheckInDue {
  lastAt: string | null;
  /** Epoch ms the next check-in is due; null before the dose (the cadence starts at the dose). */
  dueAt: number | null;
  /** How long past due, 0 when not yet due. */
  overdueMs: number;
}

/**
 * The 15-minute cadence counts from the last check-in, or from the dose when none came yet.
 * CLINICAL.md v2: a check-in counts for the schedule only if it carries MOAA/S; a note alone
 * does not.
 */
export function checkInDue(
  model: Pick<SessionModel, 'checkIns'>,
  dosedAt: string | null,
  now: number,
  intervalMs = CHECK_IN_INTERVAL_MS,
): CheckInDue {
  // The latest made, not the last to arrive: one that waited on the phone longer than a later
  // one does not move the schedule back (v1.10), as the alert engine counts it.
  let lastAt: string | null = null;
  for (const c of model.checkIns)
    if (c.moaas !== undefined && (lastAt === null || Date.parse(c.at) > Date.parse(lastAt)))
      lastAt = c.at;
  const lastMs = lastAt ? Date.parse(lastAt) : NaN;
  const doseMs = dosedAt ? Date.parse(dosedAt) : NaN;
  const from = Math.max(
    Number.isNaN(lastMs) ? -Infinity : lastMs,
    Number.isNaN(doseMs) ? -Infinity : doseMs,
  );
  if (!Number.isFinite(from)) return { lastAt, dueAt: null, overdueMs: 0 };
  const dueAt = from + intervalMs;
  return { lastAt, dueAt, overdueMs: Math.max(0, now - dueAt) };
}
