import { EngineSession } from './testing/engine-session';
import {
  checkInEvent,
  helpEvent,
  iso,
  sec,
  stateEvent,
  T0,
  vitalsEvent,
} from './testing/factories';

/** The engine and the lifecycle together, as the API runs them (testing/engine-session). */
class Session extends EngineSession {
  escalations(id: string): number[] {
    return this.board
      .entries('escalate')
      .filter((e) => e.change.kind === 'escalate' && e.change.alert.id === id)
      .map((e) => e.at);
  }
}

const byCondition = (s: Session, code: string) =>
  s.board.records.filter((a) => a.condition === code);

describe('an acknowledged medium that becomes high (v2)', () => {
  it('reopens when the SBP rise crosses 180 and escalates 2 min after the rise', () => {
    const s = new Session({ baseline: { sbp: 130, dbp: 80, hr: 70 } });
    s.apply(vitalsEvent(sec(60), [['bp_systolic', 172]]));
    const [alert] = s.board.held();
    expect(alert).toMatchObject({ condition: 'sbp_high', priority: 'medium', status: 'open' });
    s.board.acknowledge(alert.id, sec(90));
    s.apply(vitalsEvent(sec(240), [['bp_systolic', 185]]));
    expect(s.board.byId(alert.id)).toMatchObject({
      priority: 'high',
      status: 'open',
      clockAt: sec(240),
      message: 'SBP 185 (limit 180)',
    });
    expect(s.board.entries('raise')).toHaveLength(1);
    s.tick(sec(359));
    expect(s.escalations(alert.id)).toEqual([]);
    s.tick(sec(360));
    expect(s.escalations(alert.id)).toEqual([sec(360)]);
  });

  it('never lowers the priority of the held alert when the value eases', () => {
    const s = new Session().spo2(90, 0, 20);
    const [alert] = s.board.held();
    s.spo2(93, 21, 25);
    expect(s.board.byId(alert.id)).toMatchObject({
      priority: 'high',
      message: 'SpO2 93 % (limit 93)',
    });
  });
});

describe('a repeated help press (v2)', () => {
  it('updates the help alert with the press count and reopens it if acknowledged', () => {
    const s = new Session().apply(helpEvent(sec(10)));
    const [help] = s.board.held();
    s.board.acknowledge(help.id, sec(20));
    s.apply(helpEvent(sec(100)));
    expect(s.board.entries('raise')).toHaveLength(1);
    expect(s.board.byId(help.id)).toMatchObject({
      status: 'open',
      count: 2,
      message: 'Help requested (2 presses)',
      clockAt: sec(100),
    });
    s.tick(sec(219));
    expect(s.escalations(help.id)).toEqual([]);
    s.tick(sec(220));
    expect(s.escalations(help.id)).toEqual([sec(220)]);
  });

  it('keeps the first press clock when the alert was still open', () => {
    const s = new Session().apply(helpEvent(sec(10)), helpEvent(sec(100)));
    const [help] = s.board.held();
    s.tick(sec(130));
    expect(s.escalations(help.id)).toEqual([sec(130)]);
    expect(help.count).toBe(2);
  });
});

describe('auto-resolve and episodes through the engine (v2)', () => {
  // Low from 0 s: shown and raised at 15 s; clear from 30 s: auto-resolved at 90 s.
  const episode = () => {
    const s = new Session({ lastHeartbeatAt: iso(T0) }).spo2(90, 0, 29).spo2(97, 30, 90);
    const [first] = byCondition(s, 'spo2_low');
    return { s, first };
  };

  it('raises once at 15 s and resolves by itself 60 s after the stream cleared', () => {
    const { s, first } = episode();
    expect(s.board.entries('raise').map((e) => e.at)).toEqual([sec(15)]);
    expect(first).toMatchObject({ status: 'resolved', resolvedAt: sec(90), autoResolved: true });
  });

  it.each([
    [675, 'the same alert, reopened', 1],
    [676, 'a new alert', 2],
  ])('a low from %i s (shown 15 s later) is %s', (from, _name, alerts) => {
    const { s, first } = episode();
    s.spo2(97, 91, from - 1).spo2(90, from, from + 15);
    expect(byCondition(s, 'spo2_low')).toHaveLength(alerts);
    expect(s.board.entries('raise')).toHaveLength(alerts);
    if (alerts === 1) expect(s.board.byId(first.id)).toMatchObject({ status: 'open' });
  });

  it('keeps the escalation clock of the first raise when it reopens', () => {
    const { s, first } = episode();
    s.spo2(97, 91, 299).spo2(90, 300, 315);
    expect(s.board.byId(first.id)).toMatchObject({ status: 'open', clockAt: sec(15) });
    expect(s.escalations(first.id)).toEqual([sec(315)]);
  });
});

describe('the end of a session (v2)', () => {
  it.each([['ended'], ['aborted']] as const)(
    'resolves every alert once %s and escalates none',
    (to) => {
      const s = new Session().apply(
        helpEvent(sec(10)),
        checkInEvent(sec(10), { moaas: 2 }),
        vitalsEvent(sec(10), [['bp_systolic', 190]]),
      );
      expect(s.board.held()).toHaveLength(3);
      s.apply(stateEvent(sec(30), to));
      expect(s.board.held()).toEqual([]);
      for (let t = 60; t <= 1200; t += 30) s.tick(sec(t));
      expect(s.board.entries('escalate')).toEqual([]);
      expect(s.board.entries('raise')).toHaveLength(3);
    },
  );
});
