import {
  createAlertEngineState,
  DEFAULT_ORAL_PROTOCOL,
  planAlertLifecycle,
  type AlertEngineState,
  type Condition,
} from '@vigil/clinical';
import { alertEvent, judgeSession } from './alert-plan';
import { toAlertRecord, type AlertRow } from './alerts.repository';

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
    clock_at: T0,
    occurrences: 1,
    auto_resolved: false,
    ...over,
  };
}

const sbp = (value: number, priority: Condition['priority'] = 'high'): Condition => ({
  condition: 'sbp_high',
  priority,
  message: `SBP ${value} > 180`,
  value,
  limit: 180,
  since: T0.toISOString(),
});

const plan = (rows: AlertRow[], present: Condition[], now: Date) =>
  planAlertLifecycle(rows.map(toAlertRecord), present, now, DEFAULT_ORAL_PROTOCOL, () => 'new-id');

describe('alert events from lifecycle changes (contract v1.1)', () => {
  it('raises a new condition with the contract fields in alert.raised', () => {
    const [change] = plan([], [sbp(186)], T0);
    expect(alertEvent(change, T0)).toEqual({
      type: 'alert.raised',
      data: {
        alertId: 'new-id',
        priority: 'high',
        condition: 'sbp_high',
        message: 'SBP 186 > 180',
        since: T0.toISOString(),
        value: 186,
        limit: 180,
      },
    });
  });

  it('announces a re-trigger as alert.updated for the same alert, never a second raise', () => {
    const [change] = plan([alert()], [sbp(192)], at(10));
    expect(alertEvent(change, at(10))).toEqual({
      type: 'alert.updated',
      data: expect.objectContaining({
        alertId: 'a1',
        reason: 'value',
        previousPriority: 'high',
        message: 'SBP 192 > 180',
      }),
    });
    expect(alertEvent(change, at(10)).data).not.toHaveProperty('reopened');
  });

  it('marks an acknowledged alert whose priority rises as reopened', () => {
    const acked = alert({ priority: 'medium', status: 'acknowledged', acknowledged_at: at(5) });
    const [change] = plan([acked], [sbp(186)], at(60));
    expect(alertEvent(change, at(60)).data).toMatchObject({
      reason: 'priority',
      previousPriority: 'medium',
      priority: 'high',
      reopened: true,
    });
  });

  it('resolves with reason "condition cleared", and escalates naming the unacknowledged time', () => {
    const [resolve] = plan([alert()], [], at(5));
    expect(alertEvent(resolve, at(5))).toEqual({
      type: 'alert.resolved',
      data: {
        alertId: 'a1',
        condition: 'sbp_high',
        priority: 'high',
        auto: true,
        reason: 'condition cleared',
      },
    });
    const [escalate] = plan([alert()], [sbp(186)], at(120));
    expect(alertEvent(escalate, at(120))).toMatchObject({
      type: 'alert.escalated',
      data: { alertId: 'a1', step: 'escalate', escalationCount: 1, unacknowledgedSeconds: 120 },
    });
  });
});

describe('judgeSession', () => {
  const monitoring = (): AlertEngineState =>
    createAlertEngineState({ baseline: null, sessionState: 'monitoring', dosedAt: T0 });

  it("counts the device's last heartbeat as a sign of life", () => {
    const heard = judgeSession(
      monitoring(),
      { state: 'monitoring', deviceLastSeenAt: at(50) },
      [],
      at(100),
      DEFAULT_ORAL_PROTOCOL,
      () => 'x',
    );
    expect(heard.changes).toEqual([]);
    const silent = judgeSession(
      monitoring(),
      { state: 'monitoring', deviceLastSeenAt: at(30) },
      [],
      at(100),
      DEFAULT_ORAL_PROTOCOL,
      () => 'x',
    );
    expect(silent.changes).toMatchObject([
      { kind: 'raise', condition: { condition: 'device_offline', priority: 'low' } },
    ]);
  });
});
