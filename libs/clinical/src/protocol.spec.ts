import {
  createDefaultProtocol,
  DEFAULT_NASAL_PROTOCOL,
  DEFAULT_ORAL_PROTOCOL,
  DEFAULT_SUBLINGUAL_PROTOCOL,
  describeBreach,
  durationMs,
  upgradeProtocol,
  type Protocol,
} from './protocol';
import {
  applyOverrides,
  settingEntry,
  validateOverride,
  type OverridableSettingName,
  type ProtocolOverride,
} from './protocol-overrides';

const AT = '2026-01-01T10:00:00.000Z';
const P = DEFAULT_ORAL_PROTOCOL;

describe('default protocols (CLINICAL.md v2 defaults)', () => {
  it.each([
    // [entry, value, unit] as CLINICAL.md states them
    ['check-in interval', P.timings.checkInInterval, 15, 'min'],
    ['check-in grace', P.timings.checkInGrace, 5, 'min'],
    ['check-in overdue high after', P.timings.checkInOverdueHighAfter, 5, 'min'],
    ['peak BP check (oral)', P.timings.peakBpCheck, 45, 'min'],
    ['minimum monitoring', P.timings.minMonitoring, 120, 'min'],
    ['stream delay', P.timings.continuousHoldDelay, 15, 's'],
    ['heartbeat timeout', P.timings.heartbeatTimeout, 60, 's'],
    ['auto-resolve clear', P.timings.autoResolveClear, 60, 's'],
    ['episode reopen window', P.timings.episodeReopenWindow, 10, 'min'],
    ['pre-dose rest', P.timings.preDoseRest, 10, 'min'],
    ['NEWS2 max age', P.timings.news2MaxAge, 15, 'min'],
    ['escalation high', P.timings.escalationHigh, 2, 'min'],
    ['escalation medium', P.timings.escalationMedium, 5, 'min'],
    ['reminder interval', P.timings.reminderInterval, 2, 'min'],
    ['silence max', P.timings.silenceMax, 2, 'min'],
  ] as const)('%s: %i %s', (_name, entry, value, unit) => {
    expect(entry).toMatchObject({ value, unit });
  });

  it.each([
    ['moaasLow', '<=', 2, 'high'],
    ['moaasMedium', '<=', 3, 'medium'],
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

  it('holds the v2 pre-dose limits: caution 140/90, no-go 160/100 or HR > 100, SpO2 91/93', () => {
    expect(P.preDose).toMatchObject({
      cautionSbp: { comparator: '>=', value: 140 },
      cautionDbp: { comparator: '>=', value: 90 },
      noGoSbp: { comparator: '>=', value: 160 },
      noGoDbp: { comparator: '>=', value: 100 },
      noGoHr: { comparator: '>', value: 100 },
      noGoSpo2: { comparator: '<=', value: 91 },
      cautionSpo2: { comparator: '<=', value: 93 },
    });
  });

  it.each([
    ['help', 'high'],
    ['emergencySymptom', 'high'],
    ['checkInOverdue', 'medium'],
    ['checkInOverdueEscalated', 'high'],
    ['deviceOffline', 'low'],
    ['preDoseCautionBeforeDose', 'info'],
    ['preDoseCautionDosed', 'medium'],
    ['preDoseNoGo', 'medium'],
    ['sedation', 'info'],
  ] as const)('gives %s the priority %s', (key, priority) => {
    expect(P.priorities[key].priority).toBe(priority);
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
    [121, '>', 120, 'SBP 121 > 120'],
  ] as const)('describes %i %s %i as "%s"', (value, comparator, limit, message) => {
    expect(describeBreach('SBP', value, { comparator, value: limit })).toBe(message);
  });

  it('judges a protocol stored before v2 by the v2 default of its route', () => {
    const v1: Protocol = { ...DEFAULT_NASAL_PROTOCOL, version: 1 };
    expect(upgradeProtocol(v1)).toEqual(DEFAULT_NASAL_PROTOCOL);
    expect(upgradeProtocol(P)).toBe(P);
  });
});

describe('per-patient overrides: locked and bounded settings (CLINICAL.md v2)', () => {
  const override = (setting: string, value: number): ProtocolOverride => ({
    setting,
    value,
    reason: 'Known chronic hypoxaemia, pulmonologist agrees',
    by: 'dr-lee',
    at: AT,
  });
  const codes = (o: ProtocolOverride) => validateOverride(o).map((r) => r.code);

  // [setting, lowest allowed, highest allowed, a step just outside], from the v2 bounds list;
  // escalation and reminder times may be shortened, never lengthened.
  const BOUNDS: Array<[OverridableSettingName, number | null, number, number]> = [
    ['spo2Low', 85, 94, 1],
    ['spo2Borderline', 85, 94, 1],
    ['sbpHigh', 160, 200, 1],
    ['dbpHigh', 100, 120, 1],
    ['hrHigh', 100, 150, 1],
    ['rrLow', 6, 10, 1],
    ['streamDelay', 5, 30, 1],
    ['preDoseRest', 5, 30, 1],
    ['escalationHigh', null, 2, 0.1],
    ['escalationMedium', null, 5, 0.1],
    ['reminderInterval', null, 2, 0.1],
  ];

  describe.each(BOUNDS)('%s', (setting, low, high, step) => {
    it(`accepts the top of its bounds (${high}) and refuses just above`, () => {
      expect(codes(override(setting, high))).toEqual([]);
      const refused = validateOverride(override(setting, high + step));
      expect(refused.map((r) => r.code)).toEqual(['out_of_bounds']);
      expect(refused[0].message).toContain(`to ${high}`);
      expect(refused[0].message).toContain(setting);
    });

    it('accepts just inside the top', () => {
      expect(codes(override(setting, high - step))).toEqual([]);
    });

    if (low !== null) {
      it(`accepts the bottom of its bounds (${low}), refuses just below, accepts just above`, () => {
        expect(codes(override(setting, low))).toEqual([]);
        expect(codes(override(setting, low + step))).toEqual([]);
        const refused = validateOverride(override(setting, low - step));
        expect(refused.map((r) => r.code)).toEqual(['out_of_bounds']);
        expect(refused[0].message).toContain(`from ${low} to ${high}`);
      });
    }
  });

  it.each([
    ['silenceMax'],
    ['minMonitoring'],
    ['help'],
    ['emergencySymptom'],
    ['checkInInterval'],
    ['alerts.hrHigh.priority'],
    ['priorities.help.priority'],
    ['constructor'],
  ])('refuses the locked setting %s as locked_setting', (setting) => {
    const result = applyOverrides(P, [override(setting, 1)]);
    expect(result.ok).toBe(false);
    expect(result.rejected[0].reasons.map((r) => r.code)).toEqual(['locked_setting']);
    expect(result.protocol).toEqual(P);
  });

  it.each([
    ['the SpO2 limit set to 0', 'spo2Low', 0],
    ['a stream delay of 0 s', 'streamDelay', 0],
    ['escalation after an hour', 'escalationHigh', 60],
    ['an SBP limit of infinity', 'sbpHigh', Number.POSITIVE_INFINITY],
    ['an SBP limit that is not a number', 'sbpHigh', Number.NaN],
  ] as const)('refuses %s', (_name, setting, value) => {
    expect(applyOverrides(P, [override(setting, value)]).rejected[0].reasons[0].code).toBe(
      'out_of_bounds',
    );
  });

  it('applies an override within bounds, marks the entry, and leaves the input alone', () => {
    const result = applyOverrides(P, [override('spo2Low', 88), override('spo2Borderline', 90)]);
    expect(result.ok).toBe(true);
    expect(result.protocol.alerts.spo2Low).toMatchObject({
      value: 88,
      override: { previous: 91, by: 'dr-lee', at: AT },
    });
    expect(settingEntry(result.protocol, 'streamDelay').value).toBe(15);
    expect(P.alerts.spo2Low.value).toBe(91);
  });

  it('accepts both SpO2 limits at the top of their bounds (94) together', () => {
    const result = applyOverrides(P, [override('spo2Low', 94), override('spo2Borderline', 94)]);
    expect(result.ok).toBe(true);
    expect(result.protocol.alerts.spo2Low.value).toBe(94);
  });

  it('moves the stream delay and the pre-dose rest in their own units', () => {
    const result = applyOverrides(P, [override('streamDelay', 30), override('preDoseRest', 5)]);
    expect(durationMs(result.protocol.timings.continuousHoldDelay)).toBe(30_000);
    expect(durationMs(result.protocol.timings.preDoseRest)).toBe(5 * 60_000);
  });

  it.each([
    [{ reason: '  ' }, 'reason_required'],
    [{ by: '' }, 'author_required'],
    [{ at: 'not a time' }, 'time_required'],
  ])('refuses an override without %j (%s), without throwing', (change, code) => {
    const result = applyOverrides(P, [{ ...override('hrHigh', 130), ...change }]);
    expect(result.ok).toBe(false);
    expect(result.rejected[0].reasons.map((r) => r.code)).toContain(code);
    expect(result.protocol.alerts.hrHigh.value).toBe(120);
  });

  it('applies the valid overrides and reports the refused ones', () => {
    const result = applyOverrides(P, [override('hrHigh', 130), override('silenceMax', 60)]);
    expect(result.applied.map((o) => o.setting)).toEqual(['hrHigh']);
    expect(result.rejected.map((r) => r.override.setting)).toEqual(['silenceMax']);
    expect(result.protocol.alerts.hrHigh.value).toBe(130);
    expect(result.protocol.timings.silenceMax.value).toBe(2);
  });
});
