import { planAlertLifecycle, type AlertChange, type AlertRecord } from './alert-lifecycle';
import type { Condition, ConditionCode } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { applyOverrides } from './protocol-overrides';
import { iso, min, sec, T0 } from './testing/factories';

const cond = (
  condition: ConditionCode,
  priority: Condition['priority'],
  message = 'm',
  count?: number,
): Condition => ({
  condition,
  priority,
  message,
  since: iso(T0),
  ...(count === undefined ? {} : { count }),
});

const record = (o: Partial<AlertRecord> = {}): AlertRecord => ({
  id: 'a1',
  condition: 'spo2_low',
  priority: 'medium',
  status: 'open',
  message: 'm',
  clockAt: T0,
  acknowledgedAt: null,
  lastEscalatedAt: null,
  escalationCount: 0,
  silencedUntil: null,
  resolvedAt: null,
  autoResolved: false,
  count: 1,
  ...o,
});

let ids = 0;
const plan = (alerts: AlertRecord[], present: Condition[], now: number, protocol = P) =>
  planAlertLifecycle(alerts, present, now, protocol, () => `new${++ids}`);
const kinds = (changes: AlertChange[]) => changes.map((c) => c.kind);
const updateOf = (changes: AlertChange[]) => {
  const u = changes.find((c) => c.kind === 'update');
  if (!u || u.kind !== 'update') throw new Error('no update');
  return u;
};

describe('planAlertLifecycle: one alert per condition', () => {
  it('raises a new condition once, and nothing more while it is unchanged', () => {
    const changes = plan([], [cond('help', 'high')], T0);
    expect(changes).toEqual([
      { kind: 'raise', alertId: expect.any(String), condition: cond('help', 'high') },
    ]);
    expect(
      plan([record({ condition: 'help', priority: 'high' })], [cond('help', 'high')], sec(1)),
    ).toEqual([]);
  });

  it('raises one alert for a condition listed twice, at the higher priority', () => {
    const changes = plan([], [cond('spo2_low', 'medium'), cond('spo2_low', 'high')], T0);
    expect(changes).toEqual([
      { kind: 'raise', alertId: expect.any(String), condition: cond('spo2_low', 'high') },
    ]);
  });

  it('announces a new value as an update of the same alert, never a second raise', () => {
    const changes = plan([record()], [cond('spo2_low', 'medium', 'SpO2 92 < 93')], sec(10));
    expect(kinds(changes)).toEqual(['update']);
    expect(updateOf(changes)).toMatchObject({
      alert: { id: 'a1' },
      reason: 'value',
      reopened: false,
      restartClock: false,
    });
  });

  it('updates an open alert whose priority rises, keeping its clock', () => {
    const changes = plan([record()], [cond('spo2_low', 'high', 'SpO2 90 < 91')], sec(10));
    expect(updateOf(changes)).toMatchObject({
      reason: 'priority',
      condition: { priority: 'high' },
      reopened: false,
      restartClock: false,
      endsSilence: true,
    });
  });

  it('ends the silence of an open alert whose priority rises (CLINICAL.md: it re-annunciates)', () => {
    const silenced = record({ silencedUntil: sec(100) });
    expect(
      updateOf(plan([silenced], [cond('spo2_low', 'high', 'SpO2 90 < 91')], sec(10))),
    ).toMatchObject({ reason: 'priority', endsSilence: true });
    // A new value at the same priority keeps the silence the clinician chose.
    expect(
      updateOf(plan([silenced], [cond('spo2_low', 'medium', 'SpO2 92 < 94')], sec(10))),
    ).toMatchObject({ reason: 'value', endsSilence: false });
  });

  it('never lowers the priority of a held alert', () => {
    const held = record({ priority: 'high', message: 'SpO2 90 < 91' });
    const changes = plan([held], [cond('spo2_low', 'medium', 'SpO2 93 <= 93')], sec(10));
    expect(updateOf(changes)).toMatchObject({
      reason: 'value',
      condition: { priority: 'high', message: 'SpO2 93 <= 93' },
    });
  });

  it('resolves a held alert whose condition is gone', () => {
    expect(plan([record()], [], sec(10))).toEqual([{ kind: 'resolve', alert: record() }]);
  });

  it('collapses duplicates: two held alerts for one condition keep the first', () => {
    const a1 = record({ condition: 'help', priority: 'high' });
    const a2 = record({ id: 'a2', condition: 'help', priority: 'high' });
    expect(plan([a1, a2], [cond('help', 'high')], sec(1))).toEqual([
      { kind: 'resolve', alert: a2 },
    ]);
  });
});

describe('planAlertLifecycle: acknowledged alerts (v2)', () => {
  const acked = (o: Partial<AlertRecord> = {}) =>
    record({ status: 'acknowledged', acknowledgedAt: min(1), ...o });

  it('reopens an acknowledged medium that becomes high and restarts its clock at the rise', () => {
    const changes = plan([acked()], [cond('spo2_low', 'high', 'SpO2 90 < 91')], min(4));
    expect(updateOf(changes)).toMatchObject({
      reason: 'priority',
      reopened: true,
      restartClock: true,
    });
    expect(kinds(changes)).toEqual(['update']);
  });

  it.each([
    [min(6) - 1, ['update']],
    [min(6), ['update', 'escalate']],
  ])('escalates the reopened alert 2 min after the rise (judged at %i ms)', (now, expected) => {
    // The rise was seen at 4 min and the alert stored as reopened then.
    const reopened = record({ priority: 'high', clockAt: min(4), message: 'SpO2 90 < 91' });
    const changes = plan([reopened], [cond('spo2_low', 'high', 'SpO2 89 < 91')], now);
    expect(kinds(changes)).toEqual(expected);
  });

  it('keeps an acknowledged alert acknowledged on a new value at the same priority', () => {
    const changes = plan([acked()], [cond('spo2_low', 'medium', 'SpO2 92 < 93')], min(4));
    expect(updateOf(changes)).toMatchObject({ reason: 'value', reopened: false });
  });

  it('reopens an acknowledged help alert on a repeated press and restarts its clock', () => {
    const help = acked({ condition: 'help', priority: 'high', message: 'Help requested' });
    const changes = plan([help], [cond('help', 'high', 'Help requested (2 presses)', 2)], min(3));
    expect(updateOf(changes)).toMatchObject({
      reason: 'repeated',
      reopened: true,
      restartClock: true,
      condition: { count: 2 },
    });
  });

  it('updates an open help alert on a repeated press without restarting its clock', () => {
    const help = record({ condition: 'help', priority: 'high', message: 'Help requested' });
    const changes = plan([help], [cond('help', 'high', 'Help requested (2 presses)', 2)], sec(30));
    expect(updateOf(changes)).toMatchObject({
      reason: 'repeated',
      reopened: false,
      restartClock: false,
    });
  });

  it('never escalates an acknowledged alert', () => {
    const high = acked({ priority: 'high' });
    expect(plan([high], [cond('spo2_low', 'high')], min(60))).toEqual([]);
  });
});

describe('planAlertLifecycle: the escalation clock starts at a priority that escalates', () => {
  // CLINICAL.md: "pre-dose caution ... informational on the tile, medium if dosing proceeds";
  // raised informational at screening, it becomes medium at the dose, 30 minutes later.
  const caution = (o: Partial<AlertRecord> = {}) =>
    record({ condition: 'predose_caution', priority: 'info', message: 'BP 150/85', ...o });
  const medium = cond('predose_caution', 'medium', 'BP 150/85');

  it('an informational alert that becomes medium starts its clock at the rise', () => {
    const changes = plan([caution()], [medium], min(30));
    expect(kinds(changes)).toEqual(['update']);
    expect(updateOf(changes)).toMatchObject({
      reason: 'priority',
      reopened: false,
      restartClock: true,
      condition: { priority: 'medium' },
    });
  });

  it.each([
    [min(35) - 1, []],
    [min(35), ['escalate']],
  ])('escalates 5 min after the rise, not from the raise (judged at %i ms)', (now, expected) => {
    // The rise was seen at 30 min and its clock stored then.
    expect(kinds(plan([caution({ priority: 'medium', clockAt: min(30) })], [medium], now))).toEqual(
      expected,
    );
  });

  it('a low alert that becomes high starts its clock too; a medium that becomes high keeps it', () => {
    const low = record({ condition: 'checkin_overdue', priority: 'low' });
    expect(updateOf(plan([low], [cond('checkin_overdue', 'high')], min(1))).restartClock).toBe(
      true,
    );
    expect(updateOf(plan([record()], [cond('spo2_low', 'high')], min(1))).restartClock).toBe(false);
  });

  it('an informational episode reopened at medium after an auto-resolve starts its clock', () => {
    const resolved = caution({ status: 'resolved', resolvedAt: min(3), autoResolved: true });
    const changes = plan([resolved], [medium], min(5));
    expect(updateOf(changes)).toMatchObject({
      reason: 'reopened',
      reopened: true,
      restartClock: true,
    });
    expect(kinds(changes)).toEqual(['update']);
  });
});

describe('planAlertLifecycle: episodes (v2: back within 10 min of an auto-resolve)', () => {
  const resolvedAt = min(3);
  const TEN_MIN = 10 * 60_000;
  const autoResolved = (o: Partial<AlertRecord> = {}) =>
    record({ priority: 'high', status: 'resolved', resolvedAt, autoResolved: true, ...o });

  it.each([
    [resolvedAt + TEN_MIN - 1, 'update'],
    [resolvedAt + TEN_MIN, 'update'],
    [resolvedAt + TEN_MIN + 1000, 'raise'],
  ])('a condition back at %i ms reopens the same alert: %s', (now, kind) => {
    const changes = plan([autoResolved()], [cond('spo2_low', 'high')], now);
    expect(changes[0].kind).toBe(kind);
    if (kind === 'update') {
      expect(updateOf(changes)).toMatchObject({
        alert: { id: 'a1' },
        reason: 'reopened',
        reopened: true,
        restartClock: false,
      });
    }
  });

  it('keeps the episode clock: a reopened high alert first raised over 2 min ago escalates', () => {
    const changes = plan([autoResolved()], [cond('spo2_low', 'high')], min(5));
    expect(kinds(changes)).toEqual(['update', 'escalate']);
    expect(changes[1]).toMatchObject({ step: 'escalate', alert: { id: 'a1', clockAt: T0 } });
  });

  it('reopens at the higher of the old and new priority', () => {
    const changes = plan([autoResolved()], [cond('spo2_low', 'medium')], min(4));
    expect(updateOf(changes).condition.priority).toBe('high');
  });

  it('raises a new alert when a clinician, not the engine, resolved the last one', () => {
    const byClinician = autoResolved({ autoResolved: false });
    expect(kinds(plan([byClinician], [cond('spo2_low', 'high')], min(4)))).toEqual(['raise']);
  });

  it('reopens the latest of several auto-resolved alerts for the condition', () => {
    const older = autoResolved({ id: 'a0', resolvedAt: min(1) });
    const changes = plan([older, autoResolved()], [cond('spo2_low', 'high')], min(4));
    expect(updateOf(changes).alert.id).toBe('a1');
  });
});

describe('planAlertLifecycle: escalation', () => {
  it.each([
    ['high', min(2) - 1, []],
    ['high', min(2), ['escalate']],
    ['medium', min(5) - 1, []],
    ['medium', min(5), ['escalate']],
    ['low', min(60), []],
    ['info', min(60), []],
  ] as const)('escalates an unacknowledged %s alert raised at T0, at %i ms: %j', (p, now, out) => {
    const changes = plan([record({ priority: p })], [cond('spo2_low', p)], now);
    expect(kinds(changes)).toEqual(out);
  });

  it('sends reminders every 2 min after the first escalation, counting them', () => {
    const escalated = record({ priority: 'high', lastEscalatedAt: min(2), escalationCount: 1 });
    expect(plan([escalated], [cond('spo2_low', 'high')], min(4) - 1)).toEqual([]);
    expect(plan([escalated], [cond('spo2_low', 'high')], min(4))).toEqual([
      { kind: 'escalate', alert: escalated, priority: 'high', step: 'remind', count: 2 },
    ]);
  });

  it('defers reminders, never the first escalation, while silenced', () => {
    const silenced = record({ priority: 'high', silencedUntil: min(3) });
    expect(kinds(plan([silenced], [cond('spo2_low', 'high')], min(2)))).toEqual(['escalate']);
    const reminded = { ...silenced, silencedUntil: min(5), lastEscalatedAt: min(2) };
    expect(plan([reminded], [cond('spo2_low', 'high')], min(4))).toEqual([]);
    expect(kinds(plan([reminded], [cond('spo2_low', 'high')], min(5)))).toEqual(['escalate']);
  });

  it('escalates sooner under a shortened escalation time, never later', () => {
    const { protocol } = applyOverrides(P, [
      { setting: 'escalationHigh', value: 1, reason: 'ICU step-down', by: 'dr-lee', at: iso(T0) },
    ]);
    const high = record({ priority: 'high' });
    expect(kinds(plan([high], [cond('spo2_low', 'high')], min(1) - 1, protocol))).toEqual([]);
    expect(kinds(plan([high], [cond('spo2_low', 'high')], min(1), protocol))).toEqual(['escalate']);
  });

  it('stops escalating an alert whose condition has gone (e.g. the session ended)', () => {
    expect(kinds(plan([record({ priority: 'high' })], [], min(10)))).toEqual(['resolve']);
  });
});
