import { resolveBarrier } from './alert-resolves';
import type { AlertEngineState, Condition, ConditionTrack, ManualResolve } from './alert-types';
import type { Candidate, CandidateLevel } from './vital-rules';
import { durationMs, type Protocol } from './protocol';
import { toIso } from './time';

type Tracks = AlertEngineState['holds'];

/**
 * The alarm-fatigue rules of CLINICAL.md v2 for vital conditions:
 * - delay: a level built from a device stream shows only once it has been crossed for the
 *   protocol's hold delay, in the stream's own time (the first readings of a stream and those
 *   after a gap count afresh); a device reading alone in its stream (a sparse device) shows once
 *   nothing newer has come for the delay, counted from its arrival in the engine's time; a
 *   discrete level (BP, typed value, MOAA/S) shows at once;
 * - once shown, a level stays shown while it is still crossed;
 * - hysteresis: a shown condition clears only after its stream has been clear for the
 *   auto-resolve time (60 s), or at once on a clear discrete reading. Until then it stays
 *   present with the message it was shown with, so a value flapping around a limit is one alert.
 *   The clear time counts, as the delay does, in the stream's own time: from its first clear
 *   reading to its latest, plus how long that latest has stood since it came in (engine time),
 *   so a stream that goes quiet on a clear reading still resolves 60 s later, and readings whose
 *   clock is behind ours (a phone clock running slow, an outbox delivering late) are not clear
 *   for that lag the moment one comes in;
 * - after a clinician's resolve, only evidence after it counts: a stream's readings measured
 *   after it, a discrete reading logged after it (alert-resolves.ts).
 */
export function applyHolds(
  tracks: Tracks,
  candidates: readonly Candidate[],
  now: number,
  protocol: Protocol,
  resolves: AlertEngineState['manualResolves'] = {},
): { holds: Tracks; conditions: Condition[] } {
  const delay = durationMs(protocol.timings.continuousHoldDelay);
  const clearFor = durationMs(protocol.timings.autoResolveClear);
  const next: Tracks = {};
  const conditions: Condition[] = [];
  const judged = new Set<string>();
  for (const c of candidates) {
    judged.add(c.condition);
    const track = judge(tracks[c.condition], c, now, delay, clearFor, resolves[c.condition]);
    if (track) next[c.condition] = track;
    if (track?.shown) conditions.push(track.shown);
  }
  // No value left to judge (e.g. NEWS2 parameters aged out): nothing holds it up any more.
  for (const code of Object.keys(tracks)) if (!judged.has(code)) delete next[code];
  return { holds: next, conditions };
}

/** The candidate's reading came into the log after the clinician's resolve event. */
function loggedAfter(c: Candidate, resolve: ManualResolve | undefined): boolean {
  return resolve?.seq !== undefined && c.seq !== undefined && c.seq > resolve.seq;
}

function judge(
  previous: ConditionTrack | undefined,
  c: Candidate,
  now: number,
  delay: number,
  clearFor: number,
  resolve: ManualResolve | undefined,
): ConditionTrack | null {
  if (c.levels.length === 0) {
    if (!previous?.shown) return null;
    // A clear discrete reading resolves at once; a clear stream must stay clear for a while.
    if (!c.continuous) return null;
    const clearSince = previous.clearSince ?? c.at;
    // Within a buffered batch the holds move before `now` reaches the batch's arrival: no standing.
    const standing = c.receivedAt === null ? 0 : Math.max(0, now - c.receivedAt);
    if (c.at - clearSince + standing >= clearFor) return null;
    return { starts: {}, shownKeys: previous.shownKeys, shown: previous.shown, clearSince };
  }
  const starts: ConditionTrack['starts'] = {};
  const shownKeys: string[] = [];
  let shownLevel: CandidateLevel | null = null;
  for (const l of c.levels) {
    const known = previous?.starts[l.key];
    // A gap in the stream restarts the hold from the first reading after it.
    let start = c.continuous ? Math.max(known ?? c.at, c.streamStart) : (known ?? c.at);
    // After a clinician's resolve, the hold (or a discrete breach) counts from the first
    // reading taken after it; a reading up to the resolve has been judged already.
    const barrier = resolveBarrier(l, resolve);
    if (barrier !== null && start <= barrier && c.at > barrier) start = c.at;
    starts[l.key] = start;
    const wasShown = previous?.shownKeys.includes(l.key) === true;
    // A discrete reading is judged by its place in the log once the resolve's is known: one
    // measured before the resolve but uploaded after it (a phone's outbox on a poor network) was
    // never in front of the clinician, so it raises at once like any new discrete reading; one
    // logged before it was, whenever it is processed (an engine rebuilt from the log replays a
    // check-in's MOAA/S at the time of the replay). A stream's hold counts in measured time.
    const bySeq = !c.continuous && resolve?.seq !== undefined && c.seq !== undefined;
    const evidence = barrier === null || (bySeq ? loggedAfter(c, resolve) : start > barrier);
    const held = c.at - start >= delay || (c.aloneSince !== null && now - c.aloneSince >= delay);
    const shown = wasShown || (evidence && (!c.continuous || held));
    if (shown) {
      shownKeys.push(l.key);
      shownLevel ??= l;
    }
  }
  if (!shownLevel) {
    // Crossed again at a level still in its hold, while the alert is still up: keep it up.
    if (previous?.shown) return { starts, shownKeys: [], shown: previous.shown, clearSince: null };
    return { starts, shownKeys, shown: null, clearSince: null };
  }
  const firstStart = Math.min(...Object.values(starts).filter((s): s is number => s !== undefined));
  const shown: Condition = {
    condition: c.condition,
    priority: shownLevel.priority,
    message: shownLevel.message,
    value: shownLevel.value,
    limit: shownLevel.limit,
    since: previous?.shown?.since ?? toIso(firstStart),
  };
  return { starts, shownKeys, shown, clearSince: null };
}
