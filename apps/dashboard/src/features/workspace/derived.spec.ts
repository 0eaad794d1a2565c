import { checkInDue } from './check-in-due';
import { news2For, news2InputFrom } from './news2-input';
import { ageMs, formatAge, isStale } from './staleness';
import { eventLog, iso, T0 } from './testing';

describe('staleness', () => {
  it('marks a value older than 60 s stale, and 60 s exactly still fresh', () => {
    expect(isStale(iso(0), T0 + 60_000)).toBe(false);
    expect(isStale(iso(0), T0 + 60_001)).toBe(true);
    expect(isStale(null, T0)).toBe(true);
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
      .checkIn(0, { moaas: 4 })
      .model();
    const result = news2For(m, T0 + 60_000);
    // RR 22 = 2, SpO2 95 = 1, SBP 130 = 0, pulse 95 = 1, MOAA/S 4 (CVPU) = 3
    expect(result.total).toBe(7);
    expect(result.missing).toEqual(['supplemental_oxygen', 'temperature']);
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

  it('has no due time before the dose', () => {
    expect(checkInDue(eventLog().model(), null, T0).dueAt).toBeNull();
  });
});
