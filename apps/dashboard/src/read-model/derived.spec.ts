import { checkInDue } from './check-in-due';
import { news2ChangesAt, news2For, news2InputFrom } from './news2-input';
import { ageMs, formatAge, formatClock, isStale, stalenessContext } from './staleness';
import { eventLog, iso, T0 } from './testing';

describe('staleness', () => {
  // en-US with `hour12: false` is the h24 cycle, where five past midnight is "24:05".
  it.each([
    [0, 5, '00:05'],
    [12, 0, '12:00'],
    [23, 59, '23:59'],
  ])('writes %i:%i on the wall clock as %s', (hour, minute, text) => {
    expect(formatClock(new Date(2026, 10, 26, hour, minute).getTime())).toBe(text);
  });

  it('judges each kind by its own rule: a streamed SpO2 after 30 s, a BP after its schedule + 5 min', () => {
    const context = stalenessContext({ screening: null }, iso(0));
    const spo2 = { kind: 'spo2' as const, measuredAt: iso(0) };
    expect(isStale(spo2, T0 + 30_000, context)).toBe(false);
    expect(isStale(spo2, T0 + 30_001, context)).toBe(true);
    const bp = { kind: 'bp' as const, measuredAt: iso(0), sbp: 130, dbp: 80 };
    expect(isStale(bp, T0 + 20 * 60_000, context)).toBe(false);
    expect(isStale(bp, T0 + 20 * 60_000 + 1, context)).toBe(true);
    expect(isStale({ kind: 'spo2', measuredAt: '' }, T0, context)).toBe(true);
  });

  it('counts a rise over the pre-dose BP as high (measured every 5 min, stale after 10)', () => {
    const context = stalenessContext(
      { screening: { at: iso(0), sbp: 120, dbp: 80, gate: null } },
      iso(0),
    );
    const bp = { kind: 'bp' as const, measuredAt: iso(0), sbp: 160, dbp: 85 };
    expect(isStale(bp, T0 + 10 * 60_000, context)).toBe(false);
    expect(isStale(bp, T0 + 10 * 60_000 + 1, context)).toBe(true);
  });

  it('never shows a negative age when the phone clock runs ahead', () => {
    expect(ageMs(iso(5_000), T0)).toBe(0);
  });

  it.each([
    [8_000, '8 s'],
    [240_000, '4 min'],
    [7_500_000, '2 h 05 min'],
  ])('formats %d ms as %s', (ms, text) => expect(formatAge(ms)).toBe(text));
});

describe('NEWS2 inputs from events', () => {
  it('uses recent readings and MOAA/S, and lists the rest as missing rather than scoring 0', () => {
    const m = eventLog()
      .vitals(0, { resp_rate: 22, spo2: 95, bp_systolic: 130, heart_rate: 95 })
      .checkIn(0, { moaas: 3 })
      .model();
    const result = news2For(m, T0 + 60_000);
    // RR 22 = 2, SpO2 95 = 1, SBP 130 = 0, pulse 95 = 1, MOAA/S 3 (CVPU) = 3
    expect(result.total).toBe(7);
    expect(result.missing).toEqual(['supplemental_oxygen', 'temperature']);
  });

  // CLINICAL.md v2 "Precision": rules use readings rounded to the unit's precision, so the tile's
  // score and the board's order agree with the engine's alerts.
  it.each([
    [{ spo2: 91.4 }, 'spo2', 3],
    [{ spo2: 91.5 }, 'spo2', 2],
    [{ heart_rate: 130.4 }, 'pulse', 2],
    [{ heart_rate: 130.5 }, 'pulse', 3],
    [{ temperature: 35.04 }, 'temperature', 3],
    [{ temperature: 35.05 }, 'temperature', 1],
  ] as const)('scores %j as rounded: %s scores %i', (reading, parameter, score) => {
    const m = eventLog().vitals(0, reading).model();
    expect(news2For(m, T0 + 60_000).scores[parameter]).toBe(score);
  });

  it('drops values older than 15 minutes', () => {
    const m = eventLog()
      .vitals(0, { spo2: 88 })
      .vitals(14 * 60_000, { heart_rate: 70 })
      .model();
    const input = news2InputFrom(m, T0 + 16 * 60_000);
    expect(input.spo2).toBeNull();
    expect(input.pulse).toBe(70);
  });

  it('ages a value from its commit, never from a slow phone clock, as the alert engine does', () => {
    // A resp. rate typed in at 20 min on a phone whose clock runs 16 min slow (found by a review).
    const m = eventLog()
      .vitals(20 * 60_000, { resp_rate: 28 }, 4 * 60_000)
      .model();
    expect(news2InputFrom(m, T0 + 35 * 60_000).respRate).toBe(28);
    expect(news2InputFrom(m, T0 + 35 * 60_000 + 1).respRate).toBeNull();
    expect(news2ChangesAt(m, T0 + 21 * 60_000)).toBe(T0 + 35 * 60_000 + 1);
  });

  it('ages a value that waited on the phone from before its commit (v1.14), as the alert engine does', () => {
    // A resp. rate held in the phone's outbox, arriving at 20 min from a phone 16 min slow.
    const arrived = (waitedMin: number | null) =>
      eventLog()
        .add('vitals.recorded', 20 * 60_000, {
          readings: [
            {
              kind: 'resp_rate',
              value: 28,
              measuredAt: iso((20 - (waitedMin ?? 0) - 16) * 60_000),
              ...(waitedMin !== null && { waitedMs: waitedMin * 60_000 }),
            },
          ],
        })
        .model();
    expect(news2InputFrom(arrived(20), T0 + 20 * 60_000).respRate).toBeNull();
    const tenMin = arrived(10);
    expect(news2InputFrom(tenMin, T0 + 25 * 60_000).respRate).toBe(28);
    expect(news2InputFrom(tenMin, T0 + 25 * 60_000 + 1).respRate).toBeNull();
    expect(news2ChangesAt(tenMin, T0 + 21 * 60_000)).toBe(T0 + 25 * 60_000 + 1);
    // Without a sentAt (no waitedMs): from its commit, as before.
    expect(news2InputFrom(arrived(null), T0 + 35 * 60_000).respRate).toBe(28);
  });
});

describe('check-in cadence', () => {
  it('counts 15 minutes from the dose, then from the last check-in', () => {
    const log = eventLog();
    const dosedAt = iso(0);
    expect(checkInDue(log.model(), dosedAt, T0 + 10 * 60_000)).toMatchObject({
      dueAt: T0 + 15 * 60_000,
      overdueMs: 0,
    });
    expect(checkInDue(log.model(), dosedAt, T0 + 17 * 60_000).overdueMs).toBe(2 * 60_000);
    log.checkIn(16 * 60_000, { moaas: 5 });
    expect(checkInDue(log.model(), dosedAt, T0 + 17 * 60_000)).toMatchObject({
      dueAt: T0 + 31 * 60_000,
      overdueMs: 0,
    });
  });

  it('does not count a check-in without MOAA/S (a note alone) for the schedule', () => {
    const log = eventLog()
      .checkIn(5 * 60_000, { moaas: 5 })
      .checkIn(12 * 60_000, { note: 'ok' });
    expect(checkInDue(log.model(), iso(0), T0 + 21 * 60_000)).toMatchObject({
      lastAt: iso(5 * 60_000),
      dueAt: T0 + 20 * 60_000,
      overdueMs: 60_000,
    });
  });

  it('counts a check-in that waited on the phone from when it was made, as the alert engine does (v1.10)', () => {
    const log = eventLog().checkIn(25 * 60_000, { moaas: 5, waitedMs: 10 * 60_000 });
    expect(checkInDue(log.model(), iso(0), T0 + 26 * 60_000)).toMatchObject({
      lastAt: iso(15 * 60_000),
      dueAt: T0 + 30 * 60_000,
    });
  });

  // A check-in at 15 min, then one made at 8 that waited 12 min on the phone (found by a review).
  const lateAfterOnTime = () =>
    eventLog()
      .checkIn(15 * 60_000, { moaas: 5 })
      // Its phone's clock runs 30 min slow: its takenAt is 22 min before the dose.
      .checkIn(20 * 60_000, { moaas: 2, waitedMs: 12 * 60_000, takenAt: iso(-22 * 60_000) });

  it('counts the schedule from the latest made, not the last to arrive, as the engine does', () => {
    const due = checkInDue(lateAfterOnTime().model(), iso(0), T0 + 26 * 60_000);
    expect(due).toMatchObject({ lastAt: iso(15 * 60_000), dueAt: T0 + 30 * 60_000, overdueMs: 0 });
  });

  it('scores NEWS2 with the last MOAA/S to arrive, aged from when it was made', () => {
    expect(news2InputFrom(lateAfterOnTime().model(), T0 + 21 * 60_000).moaas).toBe(2);
    // Made at 8 min: missing once 15 min older than that, by the server's clock.
    expect(news2InputFrom(lateAfterOnTime().model(), T0 + 24 * 60_000).moaas).toBeNull();
  });

  it('has no due time before the dose', () => {
    expect(checkInDue(eventLog().model(), null, T0).dueAt).toBeNull();
  });
});
