import { eventLog, T0 } from '../../read-model/testing';
import { escalationInbox } from './escalation-inbox';
import { historyItem } from './testing';

const MIN = 60_000;
const escalate = (at: number, alertId: string, escalationCount: number) => ({
  at,
  alertId,
  data: { alertId, step: 'escalate', to: 'supervisor', escalationCount },
});

describe('escalationInbox', () => {
  const sessions = [
    historyItem({ id: 's1', patient: { id: 'p1', name: 'Pat One' } }),
    historyItem({
      id: 's2',
      patient: { id: 'p2', name: 'Sam Two' },
      clinician: { id: 'c2', name: 'Dr Bo' },
    }),
  ];

  it('lists escalated alerts nobody has acknowledged, most urgent then longest waiting', () => {
    const one = eventLog('s1').raise(0, 'm1', 'medium', 'SpO2 93 <= 93');
    const e1 = escalate(5 * MIN, 'm1', 1);
    one.add('alert.escalated', e1.at, e1.data);
    const two = eventLog('s2').raise(2 * MIN, 'h1', 'high', 'Help requested');
    const e2 = escalate(4 * MIN, 'h1', 1);
    two.add('alert.escalated', e2.at, e2.data);
    const e3 = escalate(6 * MIN, 'h1', 2);
    two.add('alert.escalated', e3.at, e3.data);
    const models = new Map([
      ['s1', one.model()],
      ['s2', two.model()],
    ]);

    const inbox = escalationInbox(models, sessions, T0 + 10 * MIN);

    expect(
      inbox.map((i) => [i.patientName, i.priority, i.escalationCount, i.unacknowledgedMs]),
    ).toEqual([
      ['Sam Two', 'high', 2, 8 * MIN],
      ['Pat One', 'medium', 1, 10 * MIN],
    ]);
    expect(inbox[0]).toMatchObject({
      clinicianName: 'Dr Bo',
      message: 'Help requested',
      sessionId: 's2',
    });
  });

  it('leaves out alerts not escalated yet, acknowledged ones and resolved ones', () => {
    const log = eventLog('s1')
      .raise(0, 'fresh', 'high', 'SBP 186 > 180')
      .raise(0, 'acked', 'high', 'HR 130 > 120')
      .raise(0, 'gone', 'high', 'SpO2 90 <= 91');
    for (const id of ['acked', 'gone']) {
      const e = escalate(2 * MIN, id, 1);
      log.add('alert.escalated', e.at, e.data);
    }
    log.add('alert.acknowledged', 3 * MIN, {
      alertId: 'acked',
      condition: 'hr_high',
      priority: 'high',
      by: 'c1',
    });
    log.add('alert.resolved', 3 * MIN, {
      alertId: 'gone',
      condition: 'spo2_low',
      priority: 'high',
      auto: true,
    });
    expect(escalationInbox(new Map([['s1', log.model()]]), sessions, T0 + 5 * MIN)).toEqual([]);
  });
  // CLINICAL.md v2: an episode reopened within 10 min of its auto-resolve keeps counting from its
  // first raise; an acknowledged alert opened again by a rise counts from the rise.
  it('counts the wait from the escalation clock: the first raise across an episode reopen, the rise after an acknowledgement', () => {
    const reopened = eventLog('s1').raise(0, 'a1', 'high', 'SpO2 90 <= 91', 'spo2_low');
    reopened.add('alert.resolved', 1 * MIN, { alertId: 'a1', priority: 'high', auto: true });
    reopened.update(1.5 * MIN, 'a1', { priority: 'high', reason: 'reopened', reopened: true });
    const e1 = escalate(2 * MIN, 'a1', 1);
    reopened.add('alert.escalated', e1.at, e1.data);
    const risen = eventLog('s2').raise(0, 'b1', 'medium', 'SpO2 93 <= 93', 'spo2_low');
    risen.add('alert.acknowledged', 1 * MIN, { alertId: 'b1', by: 'c2' });
    risen.update(4 * MIN, 'b1', {
      priority: 'high',
      previousPriority: 'medium',
      reason: 'priority',
      reopened: true,
    });
    const e2 = escalate(6 * MIN, 'b1', 1);
    risen.add('alert.escalated', e2.at, e2.data);
    const inbox = escalationInbox(
      new Map([
        ['s1', reopened.model()],
        ['s2', risen.model()],
      ]),
      sessions,
      T0 + 7 * MIN,
    );
    expect(inbox.map((i) => [i.alertId, i.unacknowledgedMs])).toEqual([
      ['a1', 7 * MIN],
      ['b1', 3 * MIN],
    ]);
  });
});
