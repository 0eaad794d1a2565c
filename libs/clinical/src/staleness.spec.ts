import { createDefaultProtocol } from './protocol';
import {
  bpIsHigh,
  DEFAULT_STALENESS_RULES,
  freshForMs,
  isValueStale,
  staleAfter,
  stalenessRules,
  type StalenessContext,
  type StaleSubject,
} from './staleness';
import { iso, min, sec, T0 } from './testing/factories';

/** Dosed at T0; pre-dose BP 120/80 (so a rise >= 40/25 is SBP >= 160 or DBP >= 105). */
const ctx: StalenessContext = { dosedAt: iso(T0), preDose: { sbp: 120, dbp: 80 } };
/** No pre-dose BP known: only the absolute limits make a BP high. */
const noPre: StalenessContext = { dosedAt: iso(T0) };
const MIN = 60_000;

/**
 * Each row: what was measured (minutes after the dose), how long it stays fresh per CLINICAL.md
 * v2, then judged at that limit (fresh), 1 ms before (fresh) and 1 ms after (stale).
 */
const CASES: Array<[string, StaleSubject, number, StalenessContext?]> = [
  // Streamed SpO2 and HR: 30 s (a reading without source is a device reading).
  ['streamed SpO2', { kind: 'spo2', measuredAt: min(30), source: 'device' }, 30_000],
  ['SpO2 without a source (device)', { kind: 'spo2', measuredAt: min(30) }, 30_000],
  ['streamed HR', { kind: 'heart_rate', measuredAt: min(30), source: 'device' }, 30_000],
  // BP, every 15 min until 2 h after the dose, plus 5 min grace.
  ['BP 130/80 at 30 min', { kind: 'bp', measuredAt: min(30), sbp: 130, dbp: 80 }, 20 * MIN],
  [
    'BP just before the 2 h mark',
    { kind: 'bp', measuredAt: min(120) - 1, sbp: 130, dbp: 80 },
    20 * MIN,
  ],
  // Every 30 min from 2 h after the dose.
  ['BP at the 2 h mark', { kind: 'bp', measuredAt: min(120), sbp: 130, dbp: 80 }, 35 * MIN],
  ['BP at 150 min', { kind: 'bp', measuredAt: min(150), sbp: 130, dbp: 80 }, 35 * MIN],
  // Pre-dose BP (screening): the early interval.
  ['BP before the dose', { kind: 'bp', measuredAt: min(-10), sbp: 130, dbp: 80 }, 20 * MIN],
  // Every 5 min while high: SBP >= 180, DBP >= 110, rise >= 40 / >= 25 over pre-dose.
  ['SBP 180', { kind: 'bp', measuredAt: min(30), sbp: 180, dbp: 90 }, 10 * MIN, noPre],
  ['SBP 179', { kind: 'bp', measuredAt: min(30), sbp: 179, dbp: 90 }, 20 * MIN, noPre],
  ['DBP 110', { kind: 'bp', measuredAt: min(30), sbp: 130, dbp: 110 }, 10 * MIN, noPre],
  ['DBP 109', { kind: 'bp', measuredAt: min(30), sbp: 130, dbp: 109 }, 20 * MIN, noPre],
  ['DBP 104 (rise 24 < 25)', { kind: 'bp', measuredAt: min(30), sbp: 130, dbp: 104 }, 20 * MIN],
  ['DBP 105 (rise 25)', { kind: 'bp', measuredAt: min(30), sbp: 130, dbp: 105 }, 10 * MIN],
  ['SBP 159 (rise 39 < 40)', { kind: 'bp', measuredAt: min(30), sbp: 159, dbp: 80 }, 20 * MIN],
  ['SBP 160 (rise 40)', { kind: 'bp', measuredAt: min(30), sbp: 160, dbp: 80 }, 10 * MIN],
  [
    'SBP 159.6 rounds to 160 (rise 40)',
    { kind: 'bp', measuredAt: min(30), sbp: 159.6, dbp: 80 },
    10 * MIN,
  ],
  ['high BP after 2 h', { kind: 'bp', measuredAt: min(130), sbp: 185, dbp: 95 }, 10 * MIN],
  // A check-in: 15 + 5 min.
  ['check-in', { kind: 'checkin', measuredAt: min(30) }, 20 * MIN],
  // Design choices (see staleness.ts): typed SpO2/HR follow the routine BP cadence + 5 min,
  // resp. rate and temperature the check-in cadence.
  ['typed SpO2 at 30 min', { kind: 'spo2', measuredAt: min(30), source: 'manual' }, 20 * MIN],
  ['typed HR at 130 min', { kind: 'heart_rate', measuredAt: min(130), source: 'manual' }, 35 * MIN],
  ['resp. rate', { kind: 'resp_rate', measuredAt: min(30) }, 20 * MIN],
  ['temperature', { kind: 'temperature', measuredAt: min(30) }, 20 * MIN],
];

describe('staleness (CLINICAL.md v2: expected interval plus grace, by kind)', () => {
  it.each(CASES)(
    '%s stays fresh for its interval plus grace',
    (_name, subject, freshMs, c = ctx) => {
      expect(freshForMs(subject, c)).toBe(freshMs);
      const at = Number(subject.measuredAt);
      expect(staleAfter(subject, c)).toBe(at + freshMs);
      expect(isValueStale(subject, at + freshMs - 1, c)).toBe(false);
      expect(isValueStale(subject, at + freshMs, c)).toBe(false);
      expect(isValueStale(subject, at + freshMs + 1, c)).toBe(true);
    },
  );

  it('never marks a BP taken on schedule stale: 15-min grid to 2 h, then every 30 min', () => {
    const taken = [0, 15, 30, 45, 60, 75, 90, 105, 120, 150, 180].map((m) => min(m));
    for (let now = min(0); now < min(180); now += 10_000) {
      const latest = taken.filter((t) => t <= now).pop()!;
      const subject: StaleSubject = { kind: 'bp', measuredAt: latest, sbp: 128, dbp: 82 };
      expect(isValueStale(subject, now, ctx)).toBe(false);
    }
  });

  it('never marks a high BP re-measured every 5 minutes stale', () => {
    for (let m = 40; m < 70; m += 5) {
      const subject: StaleSubject = { kind: 'bp', measuredAt: min(m), sbp: 186, dbp: 100 };
      expect(isValueStale(subject, min(m + 5) + 59_999, ctx)).toBe(false);
    }
    expect(isValueStale({ kind: 'bp', measuredAt: min(40), sbp: 186 }, min(50) + 1, ctx)).toBe(
      true,
    );
  });

  it('judges a rise only against a known pre-dose value', () => {
    expect(bpIsHigh({ sbp: 165, dbp: 95 }, null)).toBe(false);
    expect(bpIsHigh({ sbp: 165, dbp: 95 }, { sbp: 125 })).toBe(true);
    expect(bpIsHigh({ sbp: null, dbp: 110 }, null)).toBe(true);
  });

  it('uses the early interval when no dose is recorded yet', () => {
    expect(freshForMs({ kind: 'bp', measuredAt: min(200), sbp: 120, dbp: 80 })).toBe(20 * MIN);
  });

  it('takes the BP limits and check-in timings from the protocol, overrides included', () => {
    const protocol = createDefaultProtocol('oral');
    expect(stalenessRules(protocol)).toEqual(DEFAULT_STALENESS_RULES);
    protocol.alerts.sbpHigh.value = 160;
    const rules = stalenessRules(protocol);
    const bp: StaleSubject = { kind: 'bp', measuredAt: min(30), sbp: 165, dbp: 90 };
    expect(freshForMs(bp, { dosedAt: T0 }, rules)).toBe(10 * MIN);
    expect(freshForMs(bp, { dosedAt: T0 })).toBe(20 * MIN);
  });

  it('counts a value with an unreadable time as stale, and one from a clock ahead as fresh', () => {
    expect(isValueStale({ kind: 'spo2', measuredAt: 'not a time' }, T0)).toBe(true);
    expect(freshForMs({ kind: 'spo2', measuredAt: 'not a time' })).toBeNull();
    expect(isValueStale({ kind: 'spo2', measuredAt: sec(5) }, T0)).toBe(false);
  });
});
