import type { Condition, HoldEntry, AlertEngineState } from './alert-types';
import type { Candidate } from './vital-rules';
import { durationMs, type Protocol } from './protocol';
import { toIso } from './time';

/**
 * Anti-fatigue delay: a level built from a continuous stream shows only once it has been
 * crossed for the protocol's hold delay; a discrete level (BP cuff, typed value, check-in)
 * shows at once. Once shown, a level stays shown while it is still crossed, so a stream that
 * starts mid-breach never makes a raised alert flicker off.
 */
export function applyHolds(
  holds: AlertEngineState['holds'],
  candidates: readonly Candidate[],
  now: number,
  protocol: Protocol,
): { holds: AlertEngineState['holds']; conditions: Condition[] } {
  const delay = durationMs(protocol.timings.continuousHoldDelay);
  const nextHolds: AlertEngineState['holds'] = {};
  const conditions: Condition[] = [];
  for (const c of candidates) {
    const previous = holds[c.condition] ?? {};
    const entries: Partial<Record<string, HoldEntry>> = {};
    let shownLevel: Candidate['levels'][number] | null = null;
    let since = now;
    for (const l of c.levels) {
      const start = previous[l.key]?.start ?? now;
      const shown = previous[l.key]?.shown === true || !c.continuous || now - start >= delay;
      entries[l.key] = { start, shown };
      since = Math.min(since, start);
      if (shown && shownLevel === null) shownLevel = l;
    }
    nextHolds[c.condition] = entries;
    if (shownLevel) {
      conditions.push({
        condition: c.condition,
        priority: shownLevel.priority,
        message: shownLevel.message,
        value: shownLevel.value,
        limit: shownLevel.limit,
        since: toIso(since),
      });
    }
  }
  return { holds: nextHolds, conditions };
}
