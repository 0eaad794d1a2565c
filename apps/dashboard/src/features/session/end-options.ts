import { breathingConcerns, durationMs, MS_PER_MINUTE, type Protocol } from '@vigil/clinical';
import type { AlertRecord } from '../../read-model/session-model';
import { formatClock } from '../../read-model/staleness';

export interface EndOptions {
  minutesSinceDose: number | null;
  /** Epoch ms from which a normal end is possible (dose + minimum monitoring), if dosed. */
  signOffFrom: number | null;
  /** Before the minimum monitoring time an end is an abort, never a normal end (v2). */
  early: boolean;
  /** "Sign off" is offered: in recovery and the minimum time is over. */
  signOffOffered: boolean;
  /** Open breathing alerts that block sign-off, by message. */
  blockers: AlertRecord[];
  /** Why sign-off is not offered yet, in words; null when it is. */
  notYet: string | null;
}

/** What ending the session can mean right now, and why not otherwise. */
export function endOptions(
  state: string,
  dosedAt: string | null,
  alerts: readonly AlertRecord[],
  now: number,
  protocol: Protocol,
  /** The latest pulse and systolic BP: an open HR or SBP alert at a NEWS2 3 blocks too. */
  latest: { pulse?: number | null; sbp?: number | null },
): EndOptions {
  const minMs = durationMs(protocol.timings.minMonitoring);
  const doseMs = dosedAt ? Date.parse(dosedAt) : NaN;
  const dosed = !Number.isNaN(doseMs);
  const signOffFrom = dosed ? doseMs + minMs : null;
  const early = signOffFrom === null || now < signOffFrom;
  // A breathing concern is still open (as the end checklist counts it): no override lifts it.
  const open = alerts.filter((a) => a.status !== 'resolved');
  const concerns = new Set(
    breathingConcerns(
      open.map((a) => a.condition),
      latest,
    ),
  );
  const blockers = open.filter((a) => concerns.has(a.condition));
  const signOffOffered = state === 'recovery' && !early;
  const minMinutes = minMs / MS_PER_MINUTE;
  let notYet: string | null = null;
  if (!signOffOffered) {
    if (signOffFrom === null) notYet = 'No dose is recorded: ending now is an abort.';
    else if (early)
      notYet = `Sign-off is possible from ${formatClock(signOffFrom)} (${minMinutes} min after the dose), once in recovery. Ending before then is an abort.`;
    else notYet = 'Begin recovery to sign off.';
  }
  return {
    minutesSinceDose: dosed ? Math.floor((now - doseMs) / MS_PER_MINUTE) : null,
    signOffFrom,
    early,
    signOffOffered,
    blockers,
    notYet,
  };
}
