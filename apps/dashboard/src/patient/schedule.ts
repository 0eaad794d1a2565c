import { createDefaultProtocol, durationMs } from '@vigil/clinical';
import { checkInMadeAt, type SessionEvent } from '@vigil/contracts';
import { text } from './form-values';
import { phoneToServer } from './phone-clock';
import type { OutboxItem } from '@vigil/outbox';

/**
 * The check-in and BP times come from the default protocol for the route. The patient's phone
 * cannot read per-patient overrides yet (no endpoint), so the clinician's overdue alerts stay
 * the source of truth; these prompts are a reminder.
 */
export function scheduleFor(route: string) {
  const protocol = createDefaultProtocol(route === 'sublingual' ? 'sublingual' : 'oral');
  return {
    checkInIntervalMs: durationMs(protocol.timings.checkInInterval),
    peakBpMs: durationMs(protocol.timings.peakBpCheck),
    minMonitoringMs: durationMs(protocol.timings.minMonitoring),
  };
}

export type Schedule = ReturnType<typeof scheduleFor>;

/**
 * When the last check-in was made, by the server's clock (epoch ms), from what the server
 * recorded and what this phone has not seen recorded yet. Only a check-in with MOAA/S counts for
 * the schedule (CLINICAL.md v2), as on the clinician's side.
 *
 * A recorded one counts from its arrival less its wait on the phone (`checkInMadeAt`), as the
 * alert engine and the clinician's screen count it; its `takenAt` is the phone's clock, and read
 * as the server's a phone 10 min fast put the next prompt 10 min late, after the overdue alarm.
 * One still on the phone counts from its `takenAt` moved by `phoneOffsetMs` (server minus phone).
 */
export function lastCheckInAt(
  events: readonly SessionEvent[],
  items: readonly OutboxItem[],
  phoneOffsetMs: number,
) {
  let last: number | null = null;
  const see = (t: number) => {
    if (Number.isFinite(t) && (last === null || t > last)) last = t;
  };
  const recorded = new Set<number>();
  for (const e of events) {
    if (e.type !== 'checkin.recorded') continue;
    recorded.add(e.seq);
    if (typeof e.data.moaas === 'number') see(checkInMadeAt(e.at, e.data));
  }
  for (const i of items) {
    if (i.kind !== 'checkin' || i.status === 'rejected' || typeof i.body.moaas !== 'number')
      continue;
    // Delivered and recorded: the server's time for it wins (the phone's clock may have been set
    // since it was made, and the offset with it).
    if (i.seq !== undefined && recorded.has(i.seq)) continue;
    see(phoneToServer(Date.parse(text(i.body.takenAt) ?? i.createdAt), phoneOffsetMs));
  }
  return last;
}

export function nextCheckInDue(dosedAt: number, last: number | null, schedule: Schedule): number {
  const from = last !== null && last > dosedAt ? last : dosedAt;
  return from + schedule.checkInIntervalMs;
}

const systolicTimes = (readings: unknown): number[] =>
  ((readings as Array<{ kind: string; measuredAt: string }> | undefined) ?? [])
    .filter((r) => r.kind === 'bp_systolic')
    .map((r) => Date.parse(r.measuredAt));

/**
 * When each BP was measured, by the server's clock. This phone's own readings carry its clock
 * (`measuredAt`), moved by `phoneOffsetMs`: read as the server's, a BP taken 20 min before the
 * peak on a phone 10 min fast counted for the peak check, which then never came. A reading from
 * elsewhere (a cuff, the clinician's screen) is taken no later than the server committed it, as
 * the alert engine takes it.
 */
function bpTimes(
  events: readonly SessionEvent[],
  items: readonly OutboxItem[],
  phoneOffsetMs: number,
): number[] {
  const times: number[] = [];
  const mine = new Set<number>();
  for (const i of items) {
    if (i.kind !== 'vitals' || i.status === 'rejected') continue;
    if (i.seq !== undefined) mine.add(i.seq);
    for (const t of systolicTimes(i.body.readings)) times.push(phoneToServer(t, phoneOffsetMs));
  }
  for (const e of events) {
    if (e.type !== 'vitals.recorded' || mine.has(e.seq)) continue;
    const committed = Date.parse(e.at);
    for (const t of systolicTimes(e.data.readings)) times.push(Math.min(t, committed));
  }
  return times;
}

export interface BpCheck {
  label: 'peak' | 'end';
  at: number;
  done: boolean;
}

/** A BP taken from 10 minutes before a check time on counts for that check. */
const EARLY_MS = 10 * 60_000;

export function bpChecks(
  dosedAt: number,
  schedule: Schedule,
  events: readonly SessionEvent[],
  items: readonly OutboxItem[],
  phoneOffsetMs: number,
): BpCheck[] {
  const taken = bpTimes(events, items, phoneOffsetMs);
  return [
    { label: 'peak' as const, at: dosedAt + schedule.peakBpMs },
    { label: 'end' as const, at: dosedAt + schedule.minMonitoringMs },
  ].map((c) => ({ ...c, done: taken.some((t) => t >= c.at - EARLY_MS) }));
}
