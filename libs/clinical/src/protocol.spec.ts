import {
  createDefaultProtocol,
  DEFAULT_NASAL_PROTOCOL,
  DEFAULT_ORAL_PROTOCOL,
  DEFAULT_SUBLINGUAL_PROTOCOL,
  describeBreach,
  durationMs,
} from './protocol';
import { applyOverrides, overridablePaths, type ProtocolOverride } from './protocol-overrides';

const AT = '2026-01-01T10:00:00.000Z';
const P = DEFAULT_ORAL_PROTOCOL;

describe('default protocols', () => {
  it.each([
    // [entry, value, unit] from CLINICAL.md
    [P.timings.checkInInterval, 15, 'min'],
    [P.timings.checkInGrace, 5, 'min'],
    [P.timings.checkInOverdueHighAfter, 5, 'min'],
    [P.timings.peakBpCheck, 45, 'min'],
    [P.timings.minMonitoring, 120, 'min'],
    [P.timings.continuousHoldDelay, 15, 's'],
    [P.timings.continuousMaxInterval, 30, 's'],
    [P.timings.heartbeatTimeout, 60, 's'],
    [P.timings.escalationHigh, 2, 'min'],
    [P.timings.escalationMedium, 5, 'min'],
    [P.timings.reminderInterval, 2, 'min'],
    [P.timings.silenceMax, 2, 'min'],
  ])('times %#: %i %s', (entry, value, unit) => {
    expect(entry).toMatchObject({ value, unit });
  });

  it.each([
    ['moaasLow', '<=', 2, 'high'],
    ['spo2Low', '<=', 91, 'high'],
    ['spo2Borderline', '<=', 93, 'medium'],
    ['rrLow', '<=', 8, 'high'],
    ['sbpHigh', '>=', 180, 'high'],
    ['dbpHigh', '>=', 110, 'high'],
    ['sbpRise', '>=', 40, 'medium'],
    ['dbpRise', '>=', 25, 'medium'],
    ['hrHigh', '>', 120, 'medium'],
    ['news2High', '>=', 7, 'high'],
    ['news2Medium', '>=', 5, 'medium'],
    ['news2SingleParameter', '>=', 3, 'medium'],
    ['phq9Item9', '>', 0, 'medium'],
    ['phq9Item9NearlyEveryDay', '>=', 3, 'high'],
  ] as const)('alerts on %s %s %i at %s priority', (key, comparator, value, priority) => {
    expect(P.alerts[key]).toMatchObject({ comparator, value, priority });
  });

  it('holds the pre-dose limits: caution above 140/90, no-go above 160/90 or HR above 100', () => {
    const d = P.preDose;
    expect([d.cautionSbp.value, d.cautionDbp.value, d.noGoSbp.value, d.noGoDbp.value]).toEqual([
      140, 90, 160, 90,
    ]);
    expect(d.noGoHr.value).toBe(100);
  });

  it('cites a source for every entry', () => {
    for (const section of [P.timings, P.preDose, P.alerts, P.priorities]) {
      for (const entry of Object.values(section)) expect(entry.source.length).toBeGreaterThan(10);
    }
  });

  it('checks the peak BP at 45 min orally and sublingually, 40 min nasally', () => {
    expect(DEFAULT_SUBLINGUAL_PROTOCOL.timings.peakBpCheck.value).toBe(45);
    expect(DEFAULT_NASAL_PROTOCOL.timings.peakBpCheck.value).toBe(40);
    expect(createDefaultProtocol('nasal').route).toBe('nasal');
  });

  it('converts durations to milliseconds', () => {
    expect(durationMs(P.timings.checkInInterval)).toBe(900_000);
    expect(durationMs(P.timings.continuousHoldDelay)).toBe(15_000);
  });

  it.each([
    [186, '>=', 180, 'SBP 186 > 180'],
    [180, '>=', 180, 'SBP 180 >= 180'],
    [91, '<=', 91, 'SBP 91 <= 91'],
    [90, '<=', 91, 'SBP 90 < 91'],
  ] as const)('describes %i %s %i as "%s"', (value, comparator, limit, message) => {
    expect(describeBreach('SBP', value, { comparator, value: limit })).toBe(message);
  });
});

describe('applyOverrides', () => {
  const override = (o: Partial<ProtocolOverride>): ProtocolOverride => ({
    path: 'preDose.noGoDbp.value',
    value: 95,
    reason: 'Known baseline 150/95, cardiology cleared',
    by: 'dr-lee',
    at: AT,
    ...o,
  });

  it('applies an override with a reason and marks the entry', () => {
    const result = applyOverrides(P, [override({})]);
    expect(result.ok).toBe(true);
    expect(result.protocol.preDose.noGoDbp).toMatchObject({
      value: 95,
      override: { previous: 90, by: 'dr-lee', at: AT },
    });
    expect(P.preDose.noGoDbp.value).toBe(90);
  });

  it('changes a priority', () => {
    const result = applyOverrides(P, [override({ path: 'alerts.hrHigh.priority', value: 'high' })]);
    expect(result.protocol.alerts.hrHigh.priority).toBe('high');
  });

  it.each([
    [{ reason: '  ' }, 'reason_required'],
    [{ reason: '' }, 'reason_required'],
    [{ by: '' }, 'author_required'],
    [{ at: 'not a time' }, 'time_required'],
    [{ path: 'preDose.noGoDbp' }, 'unknown_path'],
    [{ path: 'alerts.madeUp.value' }, 'unknown_path'],
    [{ path: 'id' }, 'unknown_path'],
    [{ path: 'preDose.noGoDbp.source' }, 'unknown_path'],
    [{ value: -1 }, 'invalid_value'],
    [{ value: Number.NaN }, 'invalid_value'],
    [{ path: 'alerts.hrHigh.priority', value: 'urgent' as never }, 'invalid_value'],
  ])('refuses %j with %s, without throwing', (change, code) => {
    const result = applyOverrides(P, [override(change)]);
    expect(result.ok).toBe(false);
    expect(result.rejected[0].reasons.map((r) => r.code)).toContain(code);
    expect(result.protocol.preDose.noGoDbp.value).toBe(90);
  });

  it('applies the valid overrides and reports the refused ones', () => {
    const result = applyOverrides(P, [override({}), override({ path: 'nope', value: 1 })]);
    expect(result.applied).toHaveLength(1);
    expect(result.rejected).toHaveLength(1);
    expect(result.protocol.preDose.noGoDbp.value).toBe(95);
  });

  it('lists every overridable path', () => {
    const paths = overridablePaths(P);
    expect(paths).toContain('timings.checkInInterval.value');
    expect(paths).toContain('alerts.sbpHigh.priority');
    expect(paths).toContain('priorities.help.priority');
    expect(paths).not.toContain('priorities.help.value');
  });
});
