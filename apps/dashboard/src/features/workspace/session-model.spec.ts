import { applyEvents, emptySessionModel } from './session-model';
import { eventLog, iso } from './testing';

describe('session model from events', () => {
  it('keeps the newest reading of each kind as latest, even when an older one arrives late', () => {
    const m = eventLog()
      .vitals(10_000, { heart_rate: 80 })
      .vitals(20_000, { heart_rate: 70 }, 5_000)
      .model();
    expect(m.latest.heart_rate).toMatchObject({ value: 80, measuredAt: iso(10_000) });
    expect(m.vitals).toHaveLength(2);
  });

  it('does not let a reading dated far in the future pin latest over newer ones received', () => {
    const m = eventLog()
      .add('vitals.recorded', 10_000, {
        readings: [{ kind: 'spo2', value: 97, measuredAt: '9999-12-31T23:59:59.000Z' }],
      })
      .vitals(20_000, { spo2: 84 })
      .model();
    expect(m.latest.spo2).toMatchObject({ value: 84, measuredAt: iso(20_000) });
  });

  it('follows an alert from raised to acknowledged, silenced and resolved, re-triggers updating it', () => {
    const log = eventLog()
      .raise(0, 'a1', 'medium', 'SpO2 93 <= 93', 'spo2_low')
      .raise(5_000, 'a1', 'high', 'SpO2 90 <= 91', 'spo2_low');
    let m = log.model();
    expect(Object.values(m.alerts)).toHaveLength(1);
    expect(m.alerts.a1).toMatchObject({
      priority: 'high',
      message: 'SpO2 90 <= 91',
      status: 'open',
    });
    expect(m.alerts.a1.raisedAt).toBe(iso(0));

    log.add('alert.acknowledged', 6_000, { alertId: 'a1', by: 'u1' });
    log.add('alert.silenced', 7_000, { alertId: 'a1', silencedUntil: iso(127_000) });
    m = log.model();
    expect(m.alerts.a1).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'u1',
      silencedUntil: iso(127_000),
    });
    log.add('alert.resolved', 8_000, { alertId: 'a1', by: 'u1', note: 'called', auto: false });
    expect(log.model().alerts.a1).toMatchObject({ status: 'resolved', resolutionNote: 'called' });
  });

  it('reads the dose, state, presence and screening gate', () => {
    const m = eventLog()
      .add('screening.submitted', 0, {
        sbp: 150,
        dbp: 85,
        gate: { status: 'caution', reasons: [] },
      })
      .add('session.state_changed', 1_000, {
        from: 'ready',
        to: 'dosed',
        dosedAt: iso(1_000),
        dose: { mg: 100, route: 'oral', takenAt: iso(1_000) },
      })
      .add('presence.changed', 2_000, { presence: 'silent', lastSeenAt: iso(500) })
      .model();
    expect(m.state).toBe('dosed');
    expect(m.dose).toEqual({ mg: 100, route: 'oral', takenAt: iso(1_000) });
    expect(m.presence).toEqual({ status: 'silent', lastSeenAt: iso(500) });
    expect(m.screening?.gate?.status).toBe('caution');
  });

  it('ignores events it has already applied and does not change the model it was given', () => {
    const log = eventLog().vitals(0, { spo2: 97 });
    const first = log.model();
    const again = applyEvents(first, log.events);
    expect(again.vitals).toHaveLength(1);
    expect(emptySessionModel().vitals).toHaveLength(0);
    expect(first.latest.spo2?.value).toBe(97);
  });

  it('collects notes and messages in seq order', () => {
    const m = eventLog()
      .add('note.added', 1_000, { text: 'Calm' })
      .add('message.sent', 2_000, { text: 'Hi', fromRole: 'patient', fromName: 'Pat' })
      .model();
    expect(m.notes).toEqual([{ seq: 1, at: iso(1_000), text: 'Calm', authorId: null }]);
    expect(m.messages).toEqual([
      { seq: 2, at: iso(2_000), text: 'Hi', fromRole: 'patient', fromName: 'Pat' },
    ]);
  });
});
