import type { AlertRecord } from './alert-lifecycle';
import type { AlertEngineState, ManualResolve } from './alert-types';
import { PRIORITY_RANK } from './protocol';
import type { CandidateLevel } from './vital-rules';
import { toEpochMs } from './time';

/**
 * A clinician's resolve is a judgement of the evidence up to that moment. CLINICAL.md v2: "Alarm
 * fatigue is the main design hazard ... and a missed deterioration is the other. Both rule the
 * alert lifecycle." So after a manual resolve a vital condition raises again only on evidence
 * the clinician has not judged: a discrete reading (BP, resp. rate, MOAA/S, temperature, a typed
 * value) taken after it, or logged after it though measured before (a late upload from a phone's
 * outbox: the clinician never saw it), that still breaches raises at once; a continuous stream (device SpO2/HR) must hold for its delay
 * counted from its readings after the resolve. Re-judging older readings (another event, a
 * watchdog tick, an engine rebuilt from the log) raises nothing. A level of higher priority
 * than the one resolved is a different, worse situation and is judged as usual.
 *
 * Such a new raise is a new alert, not the resolved one reopened: CLINICAL.md reopens an episode
 * only "within 10 minutes of an auto-resolve"; a clinician's resolve closes it with who and when.
 * Latched conditions (help, symptoms, PHQ-9) are not barred here: a clinician's resolve clears
 * what their alert announced (clearLatched), and each new press or report latches them again.
 */

/**
 * Brings the engine's resolve barriers up to date from the stored alerts (the recovery snapshot:
 * an engine state rebuilt from the log, or stored before barriers existed, learns them here).
 * For each condition whose latest alert a clinician resolved, a resolve newer than the one known
 * is recorded, and that condition's track starts afresh: what was shown, and the hold of a
 * stream, came from evidence the clinician has judged. Idempotent.
 */
export function noteManualResolves(
  state: AlertEngineState,
  alerts: readonly AlertRecord[],
): AlertEngineState {
  let next = state;
  for (const alert of alerts) {
    const at = toEpochMs(alert.resolvedAt);
    if (alert.status !== 'resolved' || alert.autoResolved || at === null) continue;
    // A later alert of the same condition (held, or resolved later) supersedes this resolve.
    const superseded = alerts.some(
      (other) =>
        other !== alert &&
        other.condition === alert.condition &&
        (other.status !== 'resolved' || (toEpochMs(other.resolvedAt) ?? -Infinity) > at),
    );
    const known = next.manualResolves?.[alert.condition];
    if (superseded || (known && known.at >= at)) continue;
    const holds = { ...next.holds };
    delete holds[alert.condition];
    next = {
      ...next,
      holds,
      manualResolves: {
        ...next.manualResolves,
        [alert.condition]: { at, priority: alert.priority },
      },
    };
  }
  return next;
}

/**
 * The clinician's `alert.resolved` event for `condition` at `seq` in the session log: a discrete
 * reading logged after it has not been judged, whenever it was measured (a late upload from a
 * phone's outbox). Only for the resolve already noted from the alert rows; idempotent. Like
 * noting the resolve, it restarts the condition's track: what was built before it in the log (an
 * engine replaying from seq 0 passes older resolves first) is evidence the clinician has judged.
 */
export function noteResolveSeq(
  state: AlertEngineState,
  condition: string,
  seq: number,
): AlertEngineState {
  const known = state.manualResolves?.[condition];
  if (!known || (known.seq !== undefined && known.seq >= seq)) return state;
  const holds = { ...state.holds };
  delete holds[condition];
  return {
    ...state,
    holds,
    manualResolves: { ...state.manualResolves, [condition]: { ...known, seq } },
  };
}

/**
 * The moment before which evidence no longer counts for a level (epoch ms), or null: a resolve
 * bars every level up to the priority the clinician resolved, never a higher one.
 */
export function resolveBarrier(
  level: CandidateLevel,
  resolve: ManualResolve | undefined,
): number | null {
  if (!resolve || PRIORITY_RANK[level.priority] > PRIORITY_RANK[resolve.priority]) return null;
  return resolve.at;
}
