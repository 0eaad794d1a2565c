import { DEFAULT_ORAL_PROTOCOL, type Condition } from '@vigil/clinical';
import { alertEvent, planAlertChanges } from './alert-plan';
import type { AlertRow } from './alerts.repository';

const T0 = new Date('2026-01-01T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function alert(over: Partial<AlertRow> = {}): AlertRow {
  return {
    id: 'a1',
    session_id: 's1',
    condition: 'sbp_high',
    priority: 'high',
    status: 'open',
    message: 'SBP 186 > 180',
    raised_seq: '3',
    raised_at: T0,
    updated_at: T0,
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    resolution_note: null,
    silenced_until: null,
    last_escalated_at: null,
    escalation_count: 0,
    ...over,
  };
}

const sbp = (value: number): Condition => ({
  condition: 'sbp_high',
  priority: 'high',
  message: `SBP ${value} > 180`,
  value,
  limit: 180,
  since: T0.toISOString(),
});

const plan = (open: AlertRow[], present: Condition[], now: Date) =>
  planAlertChanges(open, present, now, DEFAULT_ORAL_PROTOCOL, () => 'new-id');

describe('planAlertChanges', () => {
  it('raises a new condition with the contract fields in alert.raised', () => {
    const [change] = plan([], [sbp(186)], T0);
    expect(change.kind).toBe('raise');
    expect(alertEvent(change, T0)).toEqual({
      type: 'alert.raised',
      data: expect.objectContaining({
        alertId: 'new-id',
        priority: 'high',
        condition: 'sbp_high',
        message: 'SBP 186 > 180',
      }),
    });
  });

  it('updates the open alert on a re-trigger instead of raising a second one', () => {
    const changes = plan([alert()], [sbp(192)], at(10));
    expect(changes.map((c) => c.kind)).toEqual(['update']);
    expect(alertEvent(changes[0], at(10)).data).toMatchObject({ alertId: 'a1', update: true });
  });

  it('does nothing when the same condition is still present and nothing is due', () => {
    expect(plan([alert()], [sbp(186)], at(119))).toEqual([]);
  });

  it('resolves an alert whose condition cleared', () => {
    expect(plan([alert()], [], at(5)).map((c) => c.kind)).toEqual(['resolve']);
  });

  it('escalates a high alert unacknowledged for 2 minutes, then reminds every 2 minutes', () => {
    expect(plan([alert()], [sbp(186)], at(120))).toMatchObject([
      { kind: 'escalate', step: 'escalate', count: 1 },
    ]);
    const escalated = alert({ last_escalated_at: at(120), escalation_count: 1 });
    expect(plan([escalated], [sbp(186)], at(239))).toEqual([]);
    expect(plan([escalated], [sbp(186)], at(240))).toMatchObject([
      { kind: 'escalate', step: 'remind', count: 2 },
    ]);
  });

  it('never escalates an acknowledged alert', () => {
    const acked = alert({ status: 'acknowledged', acknowledged_at: at(30) });
    expect(plan([acked], [sbp(186)], at(600))).toEqual([]);
  });
});
