import { reconcileAlerts, type OpenAlert } from './alert-reconcile';
import type { Condition } from './alert-types';
import { clampSilence, escalationDue, type EscalatableAlert } from './escalation';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { iso, sec, T0 } from './testing/factories';

const cond = (
  condition: Condition['condition'],
  priority: Condition['priority'],
  message = 'm',
): Condition => ({
  condition,
  priority,
  message,
  since: iso(T0),
});

describe('reconcileAlerts', () => {
  it('raises a new condition once', () => {
    expect(reconcileAlerts([], [cond('help', 'high')])).toEqual({
      raise: [cond('help', 'high')],
      update: [],
      resolve: [],
    });
  });

  it('does not raise a condition that is already open', () => {
    const open: OpenAlert[] = [{ id: 'a1', condition: 'help', priority: 'high', message: 'm' }];
    expect(reconcileAlerts(open, [cond('help', 'high')])).toEqual({
      raise: [],
      update: [],
      resolve: [],
    });
  });

  it('updates when the priority rises', () => {
    const open: OpenAlert[] = [
      { id: 'a1', condition: 'spo2_low', priority: 'medium', message: 'SpO2 93 <= 93' },
    ];
    const present = cond('spo2_low', 'high', 'SpO2 90 < 91');
    expect(reconcileAlerts(open, [present]).update).toEqual([{ id: 'a1', condition: present }]);
  });

  it('updates the message but never lowers the priority of an open alert', () => {
    const open: OpenAlert[] = [
      { id: 'a1', condition: 'spo2_low', priority: 'high', message: 'SpO2 90 < 91' },
    ];
    const result = reconcileAlerts(open, [cond('spo2_low', 'medium', 'SpO2 93 <= 93')]);
    expect(result.update).toEqual([
      { id: 'a1', condition: cond('spo2_low', 'high', 'SpO2 93 <= 93') },
    ]);
  });

  it('resolves an open alert whose condition is gone', () => {
    const open: OpenAlert[] = [{ id: 'a1', condition: 'hr_high', priority: 'medium' }];
    expect(reconcileAlerts(open, []).resolve).toEqual([{ id: 'a1', condition: 'hr_high' }]);
  });

  it('collapses duplicates: two open alerts for one condition keep the first', () => {
    const open: OpenAlert[] = [
      { id: 'a1', condition: 'help', priority: 'high' },
      { id: 'a2', condition: 'help', priority: 'high' },
    ];
    expect(reconcileAlerts(open, [cond('help', 'high')]).resolve).toEqual([
      { id: 'a2', condition: 'help' },
    ]);
  });

  it('raises one alert for a condition listed twice, at the higher priority', () => {
    const result = reconcileAlerts([], [cond('spo2_low', 'medium'), cond('spo2_low', 'high')]);
    expect(result.raise).toEqual([cond('spo2_low', 'high')]);
  });
});

describe('escalationDue', () => {
  const alert = (o: Partial<EscalatableAlert> = {}): EscalatableAlert => ({
    priority: 'high',
    status: 'open',
    raisedAt: iso(T0),
    lastEscalatedAt: null,
    acknowledgedAt: null,
    silencedUntil: null,
    ...o,
  });

  it.each([
    ['high', 119, false],
    ['high', 120, true],
    ['medium', 299, false],
    ['medium', 300, true],
  ] as const)('escalates an unacknowledged %s alert at %i s: %s', (priority, s, due) => {
    const r = escalationDue(alert({ priority }), sec(s), P);
    expect(r).toEqual({
      due,
      kind: 'escalate',
      nextDueAt: iso(sec(priority === 'high' ? 120 : 300)),
    });
  });

  it.each([
    [239, false],
    [240, true],
  ])('repeats a reminder every 2 minutes until acknowledged (%i s: %s)', (s, due) => {
    expect(escalationDue(alert({ lastEscalatedAt: iso(sec(120)) }), sec(s), P)).toEqual({
      due,
      kind: 'remind',
      nextDueAt: iso(sec(240)),
    });
  });

  it('defers a reminder, never the first escalation, while silenced', () => {
    const silenced = iso(sec(300));
    expect(escalationDue(alert({ silencedUntil: silenced }), sec(120), P).due).toBe(true);
    expect(
      escalationDue(
        alert({ silencedUntil: silenced, lastEscalatedAt: iso(sec(120)) }),
        sec(240),
        P,
      ),
    ).toEqual({
      due: false,
      kind: 'remind',
      nextDueAt: silenced,
    });
  });

  it.each([
    [{ acknowledgedAt: iso(sec(60)), status: 'acknowledged' as const }],
    [{ status: 'resolved' as const }],
    [{ priority: 'low' as const }],
    [{ priority: 'info' as const }],
  ])('never escalates %j', (change) => {
    expect(escalationDue(alert(change), sec(3600), P)).toEqual({
      due: false,
      kind: null,
      nextDueAt: null,
    });
  });

  it('caps a silence at 2 minutes', () => {
    expect(clampSilence(iso(sec(600)), iso(T0), P)).toBe(iso(sec(120)));
    expect(clampSilence(iso(sec(60)), iso(T0), P)).toBe(iso(sec(60)));
  });
});
