import { readingMadeAt, withLatestReadingsOnly } from './latest-readings';
import type { ReadingKind } from './domain';
import type { SessionEvent } from './session-events';

const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 10, 0, s)).toISOString();

/** A `vitals.recorded` event at seq `seq`, committed at second `seq`, of [kind, value, second measured]. */
function vitals(seq: number, ...readings: Array<[ReadingKind, number, number]>): SessionEvent {
  return {
    sessionId: 's1',
    seq,
    at: at(seq),
    actorId: null,
    type: 'vitals.recorded',
    data: {
      readings: readings.map(([kind, value, s]) => ({ kind, value, measuredAt: at(s) })),
    },
  };
}

function checkIn(seq: number): SessionEvent {
  return {
    sessionId: 's1',
    seq,
    at: at(seq),
    actorId: null,
    type: 'checkin.recorded',
    data: { moaas: 5 },
  };
}

const seqs = (events: SessionEvent[]) => events.map((e) => e.seq);

describe("a board's backlog: the latest reading of each kind (readings: 'latest', v1.5)", () => {
  it.each([
    {
      name: 'keeps every event that is not a reading, and the newest reading of a stream',
      log: [
        vitals(1, ['heart_rate', 80, 1]),
        checkIn(2),
        vitals(3, ['heart_rate', 81, 3]),
        vitals(4, ['heart_rate', 82, 4]),
      ],
      kept: [2, 4],
    },
    {
      name: 'keeps the latest of each kind, from different events',
      log: [
        vitals(1, ['bp_systolic', 120, 1]),
        vitals(2, ['heart_rate', 80, 2]),
        vitals(3, ['heart_rate', 81, 3]),
      ],
      kept: [1, 3],
    },
    {
      name: 'keeps an event that is the latest for one of its kinds only',
      log: [vitals(1, ['heart_rate', 80, 1], ['spo2', 97, 1]), vitals(2, ['heart_rate', 81, 2])],
      kept: [1, 2],
    },
    {
      name: 'a late upload of an older reading does not displace the newer one',
      log: [vitals(1, ['heart_rate', 80, 1]), vitals(5, ['heart_rate', 70, 0])],
      kept: [1],
    },
    {
      name: 'a device clock ahead ranks at its commit time, so a later reading still replaces it',
      log: [vitals(1, ['heart_rate', 80, 3600]), vitals(2, ['heart_rate', 81, 2])],
      kept: [2],
    },
    {
      name: 'readings measured at the same time: the later event is the latest, as when folded',
      log: [vitals(2, ['heart_rate', 80, 1]), vitals(3, ['heart_rate', 81, 1])],
      kept: [3],
    },
    { name: 'nothing to leave out', log: [checkIn(1)], kept: [1] },
  ])('$name', ({ log, kept }) => {
    expect(seqs(withLatestReadingsOnly(log))).toEqual(kept);
  });
});

describe("when a reading was measured by the server's clock (readingMadeAt)", () => {
  const MIN = 60;
  // Committed at 30 min; the phone's clock `skew` off the server's, its reading sent `waited` after
  // it was measured, so sentAt - measuredAt (waitedMs, v1.14) is the wait whatever the skew.
  it.each([
    ['a phone 10 min fast, sent at once', 10 * MIN, 0, 30 * MIN],
    ['a phone 10 min slow, sent at once', -10 * MIN, 0, 30 * MIN],
    ['a phone 10 min slow, held 15 min in its outbox', -10 * MIN, 15 * MIN, 15 * MIN],
    ['a phone 10 min fast, held 15 min in its outbox', 10 * MIN, 15 * MIN, 15 * MIN],
  ])('%s: its commit less its wait', (_name, skew, waited, want) => {
    const reading = { measuredAt: at(30 * MIN - waited + skew), waitedMs: waited * 1000 };
    expect(readingMadeAt(reading, at(30 * MIN))).toBe(Date.parse(at(want)));
  });

  // No sentAt (a phone before v1.14, a device, FHIR ingest): its measuredAt, never after its commit.
  it.each([
    ['measured 5 min before its commit', 25 * MIN, 25 * MIN],
    ['measured 10 min after its commit (a clock ahead)', 40 * MIN, 30 * MIN],
  ])('without a wait, %s: its measuredAt capped at its commit', (_name, measured, want) => {
    expect(readingMadeAt({ measuredAt: at(measured) }, at(30 * MIN))).toBe(Date.parse(at(want)));
  });
});
