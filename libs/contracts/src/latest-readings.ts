import type { SessionEvent } from './session-events';

/**
 * v1.5: what a watch's backlog holds of a session's readings. `all` (the default, v1): every
 * event. `latest`: every event but the `vitals.recorded` ones that no longer hold the latest
 * reading of any of their kinds; what a board asks for, since its tiles show the latest values
 * and a session at 1 Hz gathers thousands of readings an hour.
 */
export const WATCH_READINGS = ['all', 'latest'] as const;
export type WatchReadings = (typeof WATCH_READINGS)[number];

/**
 * How a reading ranks as its kind's latest: when it was measured, capped at the time its event
 * was committed, so a late upload of an older reading does not replace a newer one and a device
 * clock far ahead (year 9999) does not pin it. NaN (an unreadable time) never ranks.
 */
export function readingRank(measuredAt: string, committedAt: string): number {
  return Math.min(Date.parse(measuredAt), Date.parse(committedAt));
}

/**
 * When a reading was measured by the server's clock (epoch ms), for a check against a server time
 * (the dose's, the server's now): its commit less how long it waited on the phone (`waitedMs`,
 * v1.14), in which the phone's clock offset cancels. Without a wait (no `sentAt`: a phone before
 * v1.14, a paired device, FHIR ingest) its measuredAt capped at its commit (`readingRank`): a
 * device's clock is the clinic's to set, and a clock ahead never dates a reading after it arrived.
 * A phone's measuredAt alone is its own clock's: one 10 min fast made a BP taken 20 min before
 * read 10 min old. NEWS2 ages a reading with a wait alike (vital-rules.ts `news2Candidates`).
 */
export function readingMadeAt(
  reading: { measuredAt: string; waitedMs?: number },
  committedAt: string,
): number {
  const waited = reading.waitedMs;
  return typeof waited === 'number' && Number.isFinite(waited) && waited >= 0
    ? Date.parse(committedAt) - waited
    : readingRank(reading.measuredAt, committedAt);
}

/** Whether a reading of rank `rank` takes the place of the latest so far (ranked `before`). */
export function replacesLatest(before: number | undefined, rank: number): boolean {
  return before === undefined || before <= rank;
}

/** A logged event as far as the cut needs it: its readings, null when it is not a reading. */
export interface LoggedReadings {
  seq: number;
  at: string;
  readings: ReadonlyArray<{ kind: string; measuredAt: string }> | null;
}

/**
 * The seqs a `readings: 'latest'` backlog keeps, of events in seq order: every event that holds
 * no readings, and of those that do, each one that holds the latest reading of a kind once every
 * event is folded. Folding what is kept gives each kind the same latest reading as folding them
 * all: the event that ends up latest for a kind is kept, and every other kept event of that kind
 * ranks below it if it came later, and at most level with it if it came earlier (it would have
 * been replaced). Over this shape so that the server can cut raw rows before it parses them.
 */
export function latestReadingsKept(events: readonly LoggedReadings[]): Set<number> {
  const latest = new Map<string, { rank: number; seq: number }>();
  const kept = new Set<number>();
  for (const event of events) {
    if (event.readings === null) kept.add(event.seq);
    else
      for (const reading of event.readings) {
        const rank = readingRank(reading.measuredAt, event.at);
        if (replacesLatest(latest.get(reading.kind)?.rank, rank))
          latest.set(reading.kind, { rank, seq: event.seq });
      }
  }
  for (const { seq } of latest.values()) kept.add(seq);
  return kept;
}

/** `latestReadingsKept` over typed events: the events a `readings: 'latest'` backlog sends. */
export function withLatestReadingsOnly(events: readonly SessionEvent[]): SessionEvent[] {
  const kept = latestReadingsKept(
    events.map((e) => ({
      seq: e.seq,
      at: e.at,
      readings: e.type === 'vitals.recorded' ? e.data.readings : null,
    })),
  );
  return events.filter((e) => kept.has(e.seq));
}
