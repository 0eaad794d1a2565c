import { READING_KINDS, READING_RANGES, type ReadingKind } from '@vigil/contracts';
import {
  DEFAULT_ORAL_PROTOCOL,
  PRIORITY_RANK,
  type AlertThresholds,
  type Protocol,
} from './protocol';
import { applyOverrides, OVERRIDABLE_SETTINGS } from './protocol-overrides';
import { readingMayAlert, readingsMayAlert, readingsMayAlertAtOnce } from './reading-urgency';
import { feed, iso, makeEngine, T0, vitalsEvent } from './testing/factories';

/**
 * From CLINICAL.md v2: "Alerts: what raises what" (SpO2 <= 91 high, 92-93 medium; resp. rate
 * <= 8 high; SBP >= 180, DBP >= 110 high; HR > 120 medium; any single NEWS2 parameter scoring 3
 * medium), "Locked and bounded settings" (an override may move SpO2 low limits to 85-94 %, SBP
 * high to 160-200, DBP high to 100-120, HR high to 100-150, resp. rate low to 6-10: the door takes
 * the loosest), "NEWS2 (RCP 2017) scoring bands" (a 3 at resp. rate <= 8 or >= 25, SpO2 <= 91,
 * SBP <= 90 or >= 220, pulse <= 40 or >= 131, temperature <= 35.0) and "Precision" (rounded
 * first: HR, resp. rate, SpO2 and BP to whole numbers, temperature to 0.1).
 */
const TABLE: Array<[ReadingKind, number, boolean, string]> = [
  ['spo2', 100, false, 'normal'],
  ['spo2', 95, false, 'above the highest bound an SpO2 limit may be set to (94)'],
  ['spo2', 94.4, true, 'rounds to 94: an override may put a limit at 94'],
  ['spo2', 94, true, 'SpO2 low limits bounded 85-94'],
  ['spo2', 93, true, 'SpO2 92-93 medium'],
  ['spo2', 91, true, 'SpO2 <= 91 high, NEWS2 3'],
  ['resp_rate', 16, false, 'normal'],
  ['resp_rate', 11, false, 'NEWS2 1, above the resp. rate low bound 6-10'],
  ['resp_rate', 10, true, 'resp. rate low bounded 6-10'],
  ['resp_rate', 8, true, 'resp. rate <= 8 high, NEWS2 3'],
  ['resp_rate', 24, false, 'NEWS2 2 alone raises nothing'],
  ['resp_rate', 25, true, 'NEWS2 3 (>= 25)'],
  ['bp_systolic', 120, false, 'normal'],
  ['bp_systolic', 91, false, 'NEWS2 2'],
  ['bp_systolic', 90, true, 'NEWS2 3 (<= 90)'],
  ['bp_systolic', 159, false, 'below the lowest SBP high bound'],
  ['bp_systolic', 159.4, false, 'rounds to 159'],
  ['bp_systolic', 159.5, true, 'rounds to 160'],
  ['bp_systolic', 160, true, 'SBP high bounded 160-200'],
  ['bp_systolic', 180, true, 'SBP >= 180 high'],
  ['bp_systolic', 186, true, 'the alert table example, SBP 186 > 180'],
  ['bp_systolic', 220, true, 'NEWS2 3 (>= 220)'],
  ['bp_diastolic', 80, false, 'normal'],
  ['bp_diastolic', 40, false, 'no low DBP rule, not a NEWS2 parameter'],
  ['bp_diastolic', 99, false, 'below the lowest DBP high bound'],
  ['bp_diastolic', 100, true, 'DBP high bounded 100-120'],
  ['bp_diastolic', 110, true, 'DBP >= 110 high'],
  ['heart_rate', 72, false, 'normal'],
  ['heart_rate', 41, false, 'NEWS2 1'],
  ['heart_rate', 40, true, 'NEWS2 3 (<= 40)'],
  ['heart_rate', 100, false, 'at the lowest HR high bound, not past it (HR > limit)'],
  ['heart_rate', 101, true, 'HR high bounded 100-150'],
  ['heart_rate', 121, true, 'HR > 120 medium'],
  ['heart_rate', 131, true, 'NEWS2 3 (>= 131)'],
  ['temperature', 37, false, 'normal'],
  ['temperature', 35.1, false, 'NEWS2 1'],
  ['temperature', 35.04, true, 'rounds to 35.0'],
  ['temperature', 35.0, true, 'NEWS2 3 (<= 35.0)'],
  ['temperature', 39.1, false, 'NEWS2 2 alone raises nothing'],
];

describe('readingMayAlert (CLINICAL.md v2)', () => {
  it.each(TABLE)('%s %p -> %p (%s)', (kind, value, expected) => {
    expect(readingMayAlert({ kind, value })).toBe(expected);
  });

  it('is true for a batch when any one reading may alert', () => {
    const normal = { kind: 'heart_rate' as const, value: 72 };
    expect(readingsMayAlert([normal, { kind: 'bp_systolic', value: 186 }])).toBe(true);
    expect(readingsMayAlert([normal, { kind: 'spo2', value: 98 }])).toBe(false);
    expect(readingsMayAlert([])).toBe(false);
  });
});

/** The default protocol with every bounded alert limit moved as far as an override may move it. */
function loosestProtocol(): Protocol {
  const at = iso(T0);
  const overrides = Object.entries(OVERRIDABLE_SETTINGS)
    .filter(([, s]) => s.section === 'alerts')
    .map(([setting, s]) => {
      const rule = DEFAULT_ORAL_PROTOCOL.alerts[s.key as keyof AlertThresholds];
      const upward = rule.comparator === '>' || rule.comparator === '>=';
      return { setting, value: upward ? s.min : s.max, reason: 'test', by: 'test', at };
    });
  const result = applyOverrides(DEFAULT_ORAL_PROTOCOL, overrides);
  expect(result.ok).toBe(true);
  return result.protocol;
}

/** What the engine itself raises for this one reading, typed in (discrete: no hold delay). */
function engineAlerts(kind: ReadingKind, value: number, protocol: Protocol): boolean {
  const { conditions } = feed(makeEngine(), [vitalsEvent(T0, [[kind, value]], 'manual')], protocol);
  return conditions.some((c) => PRIORITY_RANK[c.priority] >= PRIORITY_RANK.medium);
}

// CLINICAL.md v2: "Continuous streams are SpO2 and heart rate from a device (a reading without a
// source, or with source: device). Their thresholds must hold for a delay ... A reading typed in by
// hand (source: manual) and BP, resp. rate, MOAA/S and temperature are discrete: they raise at once."
describe('readingsMayAlertAtOnce: only discrete readings raise at once', () => {
  it.each([
    ['spo2', 88, undefined, false],
    ['spo2', 88, 'device', false],
    ['spo2', 88, 'manual', true],
    ['heart_rate', 150, undefined, false],
    ['heart_rate', 150, 'manual', true],
    ['bp_systolic', 186, undefined, true],
    ['bp_diastolic', 121, 'device', true],
    ['resp_rate', 7, undefined, true],
    ['spo2', 98, 'manual', false],
    ['bp_systolic', 120, undefined, false],
  ] as const)('%s %d (source %s): %s', (kind, value, source, expected) => {
    expect(readingsMayAlertAtOnce([{ kind, value, ...(source ? { source } : {}) }])).toBe(expected);
  });

  it('is true when any reading of a batch is', () => {
    const stream = { kind: 'spo2' as const, value: 85 };
    expect(readingsMayAlertAtOnce([stream])).toBe(false);
    expect(readingsMayAlertAtOnce([stream, { kind: 'bp_systolic', value: 200 }])).toBe(true);
  });
});

describe('readingMayAlert against the alert engine', () => {
  // Every plausible value of every kind: the door must say "may alert" exactly where the engine
  // raises a medium or high alert for that reading alone under the loosest allowed overrides.
  it.each(READING_KINDS)('agrees with the engine on every %s value', (kind) => {
    const protocol = loosestProtocol();
    const { min, max } = READING_RANGES[kind];
    const step = kind === 'temperature' ? 0.1 : 1;
    for (let i = 0; min + i * step <= max + 1e-9; i++) {
      const value = Math.round((min + i * step) * 10) / 10;
      expect([value, readingMayAlert({ kind, value })]).toEqual([
        value,
        engineAlerts(kind, value, protocol),
      ]);
    }
  });
});
