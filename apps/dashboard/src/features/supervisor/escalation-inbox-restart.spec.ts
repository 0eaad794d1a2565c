import { eventLog, T0 } from '../../read-model/testing';
import { escalationInbox } from './escalation-inbox';
import { historyItem } from './testing';

const MIN = 60_000;

describe('escalationInbox after an escalation clock restart (CLINICAL.md v2 lifecycle)', () => {
  it('does not list an alert opened again by a second help press until it has gone unacknowledged past its escalation time again', () => {
    const log = eventLog('s1')
      .raise(0, 'h1', 'high', 'Help button pressed', 'help')
      .add('alert.escalated', 2 * MIN, {
        alertId: 'h1',
        step: 'escalate',
        to: 'supervisor',
        escalationCount: 1,
      })
      .add('alert.acknowledged', 3 * MIN, { alertId: 'h1', by: 'c1' })
      // A second press at 10 min: open again, re-annunciated to the clinician, clock restarts.
      .update(10 * MIN, 'h1', {
        reason: 'repeated',
        reopened: true,
        priority: 'high',
        previousPriority: 'high',
        condition: 'help',
        message: 'Help button pressed',
        count: 2,
      });
    const models = new Map([['s1', log.model()]]);
    // 30 s after the new press: the server escalates only 2 min after the restart (12 min), so
    // nothing has gone to the supervisors in this round yet.
    const inbox = escalationInbox(models, [historyItem({ id: 's1' })], T0 + 10 * MIN + 30_000);
    expect(inbox).toEqual([]);

    // 2 min after the restart the server escalates it again: listed, waiting since the press.
    log.add('alert.escalated', 12 * MIN, {
      alertId: 'h1',
      step: 'escalate',
      to: 'supervisor',
      escalationCount: 2,
    });
    const again = escalationInbox(
      new Map([['s1', log.model()]]),
      [historyItem({ id: 's1' })],
      T0 + 13 * MIN,
    );
    expect(again.map((i) => [i.alertId, i.escalationCount, i.unacknowledgedMs])).toEqual([
      ['h1', 2, 3 * MIN],
    ]);
  });

  it('counts a pre-dose caution unacknowledged from its rise to medium at the dose, not from its informational raise', () => {
    // CLINICAL.md: "pre-dose caution ... informational on the tile, medium if dosing proceeds".
    // Raised informational at screening; the dose 30 min later makes it medium, and the server
    // escalates it 5 min after that (its clock starts at the first priority that escalates).
    const log = eventLog('s1')
      .raise(0, 'c1', 'info', 'BP 150/85 (caution 140/90)', 'predose_caution')
      .update(30 * MIN, 'c1', {
        reason: 'priority',
        priority: 'medium',
        previousPriority: 'info',
        condition: 'predose_caution',
        message: 'BP 150/85 (caution 140/90)',
      })
      .add('alert.escalated', 35 * MIN, {
        alertId: 'c1',
        step: 'escalate',
        to: 'supervisor',
        escalationCount: 1,
      });
    const inbox = escalationInbox(
      new Map([['s1', log.model()]]),
      [historyItem({ id: 's1' })],
      T0 + 36 * MIN,
    );
    expect(inbox.map((i) => [i.alertId, i.since, i.unacknowledgedMs])).toEqual([
      ['c1', new Date(T0 + 30 * MIN).toISOString(), 6 * MIN],
    ]);
  });
});
