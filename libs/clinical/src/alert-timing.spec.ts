import { applyEvent, createAlertEngineState, evaluateAt, recordHeartbeat } from './alert-rules';
import type { AlertEngineContext, AlertEngineState, Condition, EngineEvent } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { checkInEvent, iso, min, sec, T0, vitalsEvent } from './testing/factories';

function feed(state: AlertEngineState, events: EngineEvent[]) {
  let conditions: Condition[] = [];
  for (const e of events) ({ state, conditions } = applyEvent(state, e, P));
  return { state, conditions };
}
const fresh = (context: Partial<AlertEngineContext> = {}) =>
  createAlertEngineState({ baseline: null, ...context });
const codes = (cs: Condition[]) => cs.map((c) => `${c.condition}:${c.priority}`);
const spo2At = (s: number, value: number) => vitalsEvent(sec(s), [['spo2', value]]);

describe('continuous-stream hold delay (15 s)', () => {
  it('raises a streamed SpO2 drop only after it has held for 15 s', () => {
    let { state, conditions } = feed(fresh(), [
      spo2At(0, 97),
      spo2At(5, 90),
      spo2At(10, 90),
      spo2At(15, 90),
    ]);
    expect(conditions).toEqual([]);
    ({ state, conditions } = feed(state, [spo2At(19, 90)]));
    expect(conditions).toEqual([]);
    ({ conditions } = feed(state, [spo2At(20, 90)]));
    expect(codes(conditions)).toEqual(['spo2_low:high']);
    expect(conditions[0].since).toBe(iso(sec(5)));
  });

  it('matures a pending hold on the clock alone', () => {
    const { state } = feed(fresh(), [spo2At(0, 97), spo2At(5, 90)]);
    expect(evaluateAt(state, sec(19.999), P).conditions).toEqual([]);
    expect(codes(evaluateAt(state, sec(20), P).conditions)).toEqual(['spo2_low:high']);
  });

  it('restarts the hold when the stream recovers in between', () => {
    const { state, conditions } = feed(fresh(), [
      spo2At(0, 97),
      spo2At(5, 90),
      spo2At(10, 96),
      spo2At(15, 90),
      spo2At(25, 90),
    ]);
    expect(conditions).toEqual([]);
    expect(codes(feed(state, [spo2At(30, 90)]).conditions)).toEqual(['spo2_low:high']);
  });

  it('shows the medium level while the high level is still holding', () => {
    const { state } = feed(fresh(), [spo2At(0, 97), spo2At(5, 93), spo2At(20, 93), spo2At(25, 90)]);
    expect(codes(evaluateAt(state, sec(26), P).conditions)).toEqual(['spo2_low:medium']);
    expect(codes(evaluateAt(state, sec(40), P).conditions)).toEqual(['spo2_low:high']);
  });

  it.each([
    [29, 'continuous: held', []],
    [30, 'discrete: at once', ['spo2_low:high']],
  ])('treats readings %i s apart as %s', (gap, _name, expected) => {
    expect(codes(feed(fresh(), [spo2At(0, 97), spo2At(gap, 90)]).conditions)).toEqual(expected);
  });

  it('raises a discrete BP cuff reading at once', () => {
    const { conditions } = feed(fresh(), [vitalsEvent(T0, [['bp_systolic', 186]])]);
    expect(conditions[0]).toMatchObject({
      condition: 'sbp_high',
      message: 'SBP 186 > 180',
      since: iso(T0),
    });
  });

  it('judges a buffered batch by its measurement times', () => {
    const readings = [0, 5, 10, 15, 20].map((s) => ({
      kind: 'spo2',
      value: 90,
      measuredAt: iso(sec(s)),
    }));
    const batch: EngineEvent = { type: 'vitals.recorded', at: iso(sec(21)), data: { readings } };
    const { conditions } = feed(fresh(), [spo2At(-5, 97), batch]);
    expect(codes(conditions)).toEqual(['spo2_low:high']);
  });

  it('keeps a shown condition when a stream starts mid-breach', () => {
    const { conditions } = feed(fresh(), [spo2At(0, 90), spo2At(5, 90)]);
    expect(codes(conditions)).toEqual(['spo2_low:high']);
  });

  it('ignores a reading older than the latest of its kind', () => {
    const { conditions } = feed(fresh(), [
      spo2At(10, 97),
      vitalsEvent(sec(20), []),
      {
        type: 'vitals.recorded',
        at: iso(sec(21)),
        data: { readings: [{ kind: 'spo2', value: 85, measuredAt: iso(sec(5)) }] },
      },
    ]);
    expect(conditions).toEqual([]);
  });
});

describe('check-in overdue (15 min + 5 min grace, high 5 min later)', () => {
  const dosed = () => fresh({ dosedAt: iso(T0), sessionState: 'monitoring' });
  const at = (state: AlertEngineState, ms: number) =>
    codes(evaluateAt(state, ms, P).conditions.filter((c) => c.condition === 'checkin_overdue'));

  it.each([
    [min(20) - 1, []],
    [min(20), ['checkin_overdue:medium']],
    [min(25) - 1, ['checkin_overdue:medium']],
    [min(25), ['checkin_overdue:high']],
  ])('counts from the dose: at %i ms -> %j', (ms, expected) => {
    expect(at(dosed(), ms)).toEqual(expected);
  });

  it('names the minutes and the limit', () => {
    const c = evaluateAt(dosed(), min(23), P).conditions[0];
    expect(c).toMatchObject({
      message: 'No check-in for 23 min > 20',
      value: 23,
      limit: 20,
      since: iso(min(20)),
    });
    expect(evaluateAt(dosed(), min(25), P).conditions[0].message).toBe(
      'No check-in for 25 min >= 25',
    );
  });

  it('counts from the last check-in', () => {
    const { state } = feed(dosed(), [checkInEvent(min(10), { moaas: 5 })]);
    expect(at(state, min(30) - 1)).toEqual([]);
    expect(at(state, min(30))).toEqual(['checkin_overdue:medium']);
    expect(at(state, min(35))).toEqual(['checkin_overdue:high']);
  });

  it('does not run before the dose or after the end', () => {
    expect(at(fresh({ sessionState: 'ready' }), min(60))).toEqual([]);
    const { state } = feed(dosed(), [
      { type: 'session.state_changed', at: iso(min(1)), data: { to: 'ended' } },
    ]);
    expect(at(state, min(60))).toEqual([]);
  });

  it('starts the clock at the reported dose time', () => {
    const { state } = feed(fresh({ sessionState: 'ready' }), [
      { type: 'session.state_changed', at: iso(min(3)), data: { to: 'dosed', dosedAt: iso(T0) } },
    ]);
    expect(at(state, min(20))).toEqual(['checkin_overdue:medium']);
  });

  it('starts the clock when the session becomes dosed', () => {
    const { state } = feed(fresh({ sessionState: 'ready' }), [
      { type: 'session.state_changed', at: iso(T0), data: { to: 'dosed' } },
    ]);
    expect(at(state, min(20))).toEqual(['checkin_overdue:medium']);
  });
});

describe('device offline (60 s without heartbeat)', () => {
  const live = () => fresh({ sessionState: 'monitoring', lastHeartbeatAt: iso(T0) });

  it.each([
    [59_999, []],
    [60_000, ['device_offline:low']],
  ])('at %i ms -> %j', (ms, expected) => {
    expect(codes(evaluateAt(live(), T0 + ms, P).conditions)).toEqual(expected);
  });

  it('names the silence and the limit', () => {
    expect(evaluateAt(live(), sec(75), P).conditions[0].message).toBe('No heartbeat for 75 s > 60');
  });

  it('counts heartbeats, presence and submissions as signs of life', () => {
    let state = recordHeartbeat(live(), sec(50));
    expect(evaluateAt(state, sec(100), P).conditions).toEqual([]);
    state = feed(state, [
      { type: 'presence.changed', at: iso(sec(100)), data: { status: 'online' } },
    ]).state;
    expect(evaluateAt(state, sec(159), P).conditions).toEqual([]);
    state = feed(state, [checkInEvent(sec(150), { moaas: 5 })]).state;
    expect(evaluateAt(state, sec(209), P).conditions).toEqual([]);
  });

  it('raises nothing before any heartbeat', () => {
    expect(evaluateAt(fresh({ sessionState: 'monitoring' }), min(10), P).conditions).toEqual([]);
  });
});
