import { withLatestReadingsOnly } from '@vigil/contracts';
import { applyEvents, emptySessionModel } from './session-model';
import { eventLog, iso } from './testing';

describe('session model from events', () => {
  it("shows the same latest values from a board's backlog (readings: 'latest') as from the whole log", () => {
    // A deterministic jumble: streams at 1 Hz, manual BP now and then, late uploads of older
    // readings, the same second measured twice, a check-in between.
    const log = eventLog();
    let x = 7;
    const next = () => (x = (x * 48271) % 2147483647) / 2147483647;
    for (let s = 1; s <= 400; s++) {
      const late = next() < 0.1 ? Math.floor(next() * 30_000) : 0;
      const readings: Record<string, number> = { heart_rate: 60 + Math.floor(next() * 40) };
      if (next() < 0.5) readings.spo2 = 88 + Math.floor(next() * 12);
      if (next() < 0.05) readings.bp_systolic = 100 + Math.floor(next() * 90);
      log.vitals(s * 1000, readings, s * 1000 - late);
      if (s % 97 === 0) log.checkIn(s * 1000 + 500, { moaas: 5 });
    }
    const full = applyEvents(emptySessionModel(), log.events);
    const board = applyEvents(emptySessionModel(), withLatestReadingsOnly(log.events));
    expect(board.latest).toEqual(full.latest);
    expect(board.checkIns).toEqual(full.checkIns);
    expect(board.vitals.length).toBeLessThan(10);
  });

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

  it('keeps the alerts object through readings and replaces it, not the earlier one, on an alert event', () => {
    const raised = eventLog().raise(0, 'a1', 'high', 'SpO2 90 (limit 91)', 'spo2_low').model();
    const read = applyEvents(
      raised,
      eventLog()
        .vitals(1_000, { heart_rate: 80 })
        .events.map((e) => ({ ...e, seq: 2 })),
    );
    expect(read.alerts).toBe(raised.alerts);
    const acked = applyEvents(read, [
      {
        ...eventLog().add('alert.acknowledged', 2_000, { alertId: 'a1', by: 'u1' }).events[0],
        seq: 3,
      },
    ]);
    expect(acked.alerts).not.toBe(read.alerts);
    expect(acked.alerts.a1.status).toBe('acknowledged');
    expect(read.alerts.a1.status).toBe('open');
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

describe('alert.updated (contract v1.1)', () => {
  const acknowledged = () =>
    eventLog()
      .raise(0, 'a1', 'medium', 'SpO2 93 <= 93', 'spo2_low')
      .add('alert.acknowledged', 5_000, { alertId: 'a1', by: 'u1' })
      .add('alert.silenced', 6_000, { alertId: 'a1', silencedUntil: iso(126_000) });

  it('changes the text of a value-only update silently, keeping status and annunciation', () => {
    const m = acknowledged()
      .update(10_000, 'a1', {
        priority: 'medium',
        previousPriority: 'medium',
        condition: 'spo2_low',
        message: 'SpO2 92 <= 93',
      })
      .model();
    expect(m.alerts.a1).toMatchObject({
      message: 'SpO2 92 <= 93',
      status: 'acknowledged',
      annunciation: 1,
      silencedUntil: iso(126_000),
      raisedAt: iso(0),
    });
  });

  it('reopens an acknowledged alert on reopened: true, clearing the acknowledgement and silence', () => {
    const m = acknowledged()
      .update(20_000, 'a1', {
        reason: 'reopened',
        reopened: true,
        priority: 'medium',
        previousPriority: 'medium',
        message: 'SpO2 93 <= 93',
      })
      .model();
    expect(m.alerts.a1).toMatchObject({
      status: 'open',
      acknowledgedAt: null,
      acknowledgedBy: null,
      silencedUntil: null,
      annunciation: 2,
      reopenedAt: iso(20_000),
    });
  });

  it('reopens an auto-resolved alert within its episode on reopened: true', () => {
    const m = eventLog()
      .raise(0, 'a1', 'high', 'SpO2 90 <= 91', 'spo2_low')
      .add('alert.resolved', 70_000, { alertId: 'a1', auto: true, reason: 'condition cleared' })
      .update(100_000, 'a1', {
        reason: 'reopened',
        reopened: true,
        priority: 'high',
        previousPriority: 'high',
        message: 'SpO2 89 <= 91',
      })
      .model();
    expect(m.alerts.a1).toMatchObject({
      status: 'open',
      resolvedAt: null,
      resolutionNote: null,
      message: 'SpO2 89 <= 91',
      annunciation: 2,
    });
  });

  it('treats a priority rise as news: announced again, and open again if it was acknowledged', () => {
    const m = acknowledged()
      .update(30_000, 'a1', {
        reason: 'priority',
        priority: 'high',
        previousPriority: 'medium',
        message: 'SpO2 90 <= 91',
      })
      .model();
    expect(m.alerts.a1).toMatchObject({
      priority: 'high',
      raisedFrom: 'medium',
      status: 'open',
      annunciation: 2,
    });
  });

  it('counts repeated help presses', () => {
    const m = eventLog()
      .raise(0, 'h1', 'high', 'Help button pressed', 'help')
      .update(40_000, 'h1', {
        reason: 'repeated',
        priority: 'high',
        previousPriority: 'high',
        message: 'Help button pressed (3 times)',
        count: 3,
      })
      .model();
    expect(m.alerts.h1).toMatchObject({ count: 3, annunciation: 1, status: 'open' });
  });

  it('ignores an update for an alert raised before its window', () => {
    expect(eventLog().update(0, 'zz', { priority: 'high' }).model().alerts).toEqual({});
  });
});
