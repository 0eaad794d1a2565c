import { noteManualResolves, noteResolveSeq } from './alert-resolves';
import { applyEvent, clearLatched, createAlertEngineState, evaluateAt } from './alert-rules';
import type { AlertEngineContext, EngineEvent } from './alert-types';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import type { ReadingKind } from '@vigil/contracts';
import { EngineSession } from './testing/engine-session';
import {
  checkInEvent,
  helpEvent,
  iso,
  makeEngine,
  sec,
  stateEvent,
  T0,
  vitalsEvent,
} from './testing/factories';

/**
 * CLINICAL.md v2, "Alerts: what raises what":
 * > Alarm fatigue is the main design hazard (85-99% of device alarms need no action), and a
 * > missed deterioration is the other. Both rule the alert lifecycle:
 * > - One open alert per session and condition: a re-trigger updates it, never duplicates.
 * > - Continuous streams are SpO2 and heart rate from a device ... Their thresholds must hold
 * >   for a delay (default 15 s ...) before they raise anything. The delay also applies to the
 * >   first readings of a stream and after a gap ... A reading typed in by hand
 * >   (`source: "manual"`) and BP, resp. rate, MOAA/S and temperature are discrete: they raise
 * >   at once, as do the symptom and help conditions.
 * > - A condition that comes back within 10 minutes of an auto-resolve reopens the same episode
 * > - Lifecycle: open -> acknowledged -> resolved, each with who and when.
 * So after a clinician resolves an alert, the readings they judged never raise it again; a
 * discrete reading taken after the resolve that still breaches raises a new alert at once; a
 * stream raises only after its 15 s delay of post-resolve readings; help and symptoms raise on
 * each new report. The session is run as the API runs it: resolves noted from the alert records
 * before every event and tick.
 */
class Session extends EngineSession {
  constructor(context: Partial<AlertEngineContext> = {}) {
    super(context, noteManualResolves);
  }

  /** The clinician resolves the condition's alert; latched ones leave the engine (as the API). */
  resolve(condition: string, at: number): string {
    const alert = this.board.heldFor(condition);
    if (!alert) throw new Error(`no ${condition} alert held`);
    this.board.resolve(alert.id, at);
    // The API reads the resolve from the alert rows, then meets its event in the log.
    const noted = noteManualResolves(clearLatched(this.state, condition), this.board.records);
    this.state = noteResolveSeq(noted, condition, ++this.seq);
    return alert.id;
  }

  raises(condition: string): Array<{ at: number; id: string }> {
    return this.board
      .entries('raise')
      .flatMap((e) =>
        e.change.kind === 'raise' && e.change.condition.condition === condition
          ? [{ at: e.at, id: e.change.alertId }]
          : [],
      );
  }
}

const BP_186 = (s: number) =>
  vitalsEvent(sec(s), [
    ['bp_systolic', 186],
    ['bp_diastolic', 95],
  ]);

describe('after a clinician resolves SBP 186 (discrete: "BP ... raise at once")', () => {
  const resolved = () => {
    const s = new Session({ baseline: { sbp: 130, dbp: 80, hr: 70 } }).apply(BP_186(0));
    expect(s.raises('sbp_high')).toHaveLength(1);
    s.resolve('sbp_high', sec(30));
    return s;
  };

  it.each<[string, (s: Session) => void]>([
    ['a check-in with MOAA/S 5', (s) => s.apply(checkInEvent(sec(60), { moaas: 5 }))],
    ['a device SpO2 98 and HR 80', (s) => s.apply(vitalsEvent(sec(61), [['spo2', 98]]))],
    ['a typed resp. rate 14', (s) => s.apply(vitalsEvent(sec(62), [['resp_rate', 14]], 'manual'))],
    ['a help press (its own alert)', (s) => s.apply(helpEvent(sec(63)))],
    ['watchdog ticks for 10 minutes', (s) => [2, 5, 10].forEach((m) => s.tick(sec(m * 60)))],
    ['the same BP resent, measured before the resolve', (s) => s.apply(BP_186(0))],
  ])('%s raises no second SBP alert from the judged reading', (_name, after) => {
    const s = resolved();
    after(s);
    expect(s.raises('sbp_high')).toHaveLength(1);
  });

  it.each<[string, Array<[number, number]>, string | null]>([
    ['SBP 186 again, taken 2 min later', [[186, 150]], 'SBP 186 (limit 180)'],
    ['SBP 181 taken 2 min later', [[181, 150]], 'SBP 181 (limit 180)'],
    ['SBP 172, a rise of 42 over baseline 130', [[172, 150]], 'SBP up 42 (limit +40)'],
    [
      'a clear SBP 150, then SBP 186',
      [
        [150, 150],
        [186, 200],
      ],
      'SBP 186 (limit 180)',
    ],
    ['a clear SBP 150 only', [[150, 150]], null],
  ])('a new reading after the resolve: %s', (_name, readings, message) => {
    const s = resolved();
    const first = s.raises('sbp_high')[0].id;
    for (const [sbp, at] of readings) {
      s.apply(vitalsEvent(sec(at), [['bp_systolic', sbp]]));
    }
    const raises = s.raises('sbp_high');
    if (message === null) {
      expect(raises).toHaveLength(1);
      return;
    }
    // A new alert: CLINICAL.md reopens an episode only after an auto-resolve.
    expect(raises).toHaveLength(2);
    expect(raises[1].id).not.toBe(first);
    expect(s.board.heldFor('sbp_high')).toMatchObject({ message, status: 'open' });
    expect(s.board.entries('update')).toEqual([]);
  });
});

describe('other discrete conditions resolved by a clinician', () => {
  it.each<[string, EngineEvent, EngineEvent, EngineEvent, string]>([
    [
      'MOAA/S 2 ("MOAA/S <= 2 ... high")',
      checkInEvent(sec(0), { moaas: 2 }),
      checkInEvent(sec(60), { note: 'feeling fine' }),
      checkInEvent(sec(120), { moaas: 2 }),
      'moaas_low',
    ],
    [
      'a typed resp. rate 8 ("resp. rate <= 8 ... high")',
      vitalsEvent(sec(0), [['resp_rate', 8]], 'manual'),
      vitalsEvent(sec(60), [['heart_rate', 80]]),
      vitalsEvent(sec(120), [['resp_rate', 7]], 'manual'),
      'rr_low',
    ],
    [
      'a typed SpO2 90 (a reading typed in by hand is discrete)',
      vitalsEvent(sec(0), [['spo2', 90]], 'manual'),
      checkInEvent(sec(60), { moaas: 5 }),
      vitalsEvent(sec(120), [['spo2', 90]], 'manual'),
      'spo2_low',
    ],
  ])('%s: another event raises nothing, a new breaching reading raises at once', (...row) => {
    const [, first, other, again, code] = row;
    const s = new Session().apply(first);
    s.resolve(code, sec(30));
    s.apply(other).tick(sec(90));
    expect(s.raises(code)).toHaveLength(1);
    s.apply(again);
    expect(s.raises(code).map((r) => r.at)).toEqual([sec(0), sec(120)]);
  });
});

/**
 * A reading measured before the resolve can reach the server after it: a phone on a poor network
 * uploads late from its outbox. The clinician never saw it, and a discrete reading raises "at
 * once"; a missed deterioration is the other design hazard. So the barrier judges a discrete
 * reading by when the server committed it (the event's `committedAt`), and a stream by its
 * readings' measured time (the hold counts "in the stream's own time").
 */
describe('late uploads: a discrete reading is judged by its place in the log', () => {
  /** A batch measured at `measured`, judged by the engine at `at`, logged at `seq` if given. */
  const late = (
    measured: number,
    at: number,
    readings: Array<[ReadingKind, number]>,
    source?: 'manual',
    seq?: number,
  ): EngineEvent => ({ ...vitalsEvent(measured, readings, source), at: iso(at), seq });
  const resolvedAt30 = () => {
    const s = new Session({ baseline: { sbp: 130, dbp: 80, hr: 70 } }).apply(BP_186(0));
    s.resolve('sbp_high', sec(30));
    return s;
  };

  it('SBP 190 logged before the resolve but judged by the engine after it stays barred', () => {
    const s = new Session({ baseline: { sbp: 130, dbp: 80, hr: 70 } }).apply(BP_186(0));
    const before = ++s.seq; // logged here; the engine pass that reads it runs after the resolve
    s.resolve('sbp_high', sec(30));
    s.apply(late(sec(20), sec(40), [['bp_systolic', 190]], undefined, before));
    s.tick(sec(120));
    expect(s.raises('sbp_high')).toHaveLength(1);
  });

  it('SBP 190 logged and judged before the resolve stays barred after it', () => {
    const s = new Session({ baseline: { sbp: 130, dbp: 80, hr: 70 } }).apply(BP_186(0));
    s.apply(late(sec(20), sec(25), [['bp_systolic', 190]]));
    s.resolve('sbp_high', sec(30));
    s.apply(checkInEvent(sec(60), { moaas: 5 })).tick(sec(120));
    expect(s.raises('sbp_high')).toHaveLength(1);
  });

  it.each<[string, number]>([
    ['at once', 31],
    ['5 minutes later (a long outbox delay)', 330],
  ])(
    'SBP 190 measured before the resolve but logged after it raises a new alert (%s)',
    (_n, at) => {
      const s = resolvedAt30();
      const first = s.raises('sbp_high')[0].id;
      s.apply(late(sec(20), sec(at), [['bp_systolic', 190]]));
      const raises = s.raises('sbp_high');
      expect(raises).toHaveLength(2);
      expect(raises[1].id).not.toBe(first);
      expect(s.board.heldFor('sbp_high')).toMatchObject({
        message: 'SBP 190 (limit 180)',
        status: 'open',
      });
      // Once a clinician resolves that one too, it has been judged and stays quiet.
      s.resolve('sbp_high', sec(at + 10));
      s.tick(sec(at + 120));
      expect(s.raises('sbp_high')).toHaveLength(2);
    },
  );

  it('a typed SpO2 measured before the resolve: logged before stays barred, logged after raises', () => {
    const s = new Session().apply(vitalsEvent(sec(0), [['spo2', 90]], 'manual'));
    const before = ++s.seq;
    s.resolve('spo2_low', sec(30));
    s.apply(late(sec(20), sec(40), [['spo2', 89]], 'manual', before));
    expect(s.raises('spo2_low')).toHaveLength(1);
    s.apply(late(sec(28), sec(60), [['spo2', 88]], 'manual'));
    expect(s.raises('spo2_low').map((r) => r.at)).toEqual([sec(0), sec(60)]);
  });

  it('device SpO2 measured before the resolve and uploaded after it stays barred (stream time)', () => {
    const s = new Session().spo2(89, 0, 15);
    expect(s.raises('spo2_low')).toHaveLength(1);
    s.resolve('spo2_low', sec(30));
    // The phone's outbox delivers 16..29 s of the stream at 60 s: all measured before the resolve.
    for (let t = 16; t <= 29; t++) s.apply(late(sec(t), sec(60), [['spo2', 89]]));
    s.tick(sec(90));
    expect(s.raises('spo2_low')).toHaveLength(1);
  });

  it('an engine replaying the log from seq 0 re-raises nothing across two resolves', () => {
    const live = resolvedAt30();
    const events = [BP_186(0), late(sec(20), sec(31), [['bp_systolic', 190]])];
    live.apply(events[1]);
    live.resolve('sbp_high', sec(40));
    // Rebuilt: both resolves known from the rows, the log replayed in seq order (1, 2, 3, 4).
    let state = noteManualResolves(
      makeEngine({ sessionState: 'monitoring', dosedAt: iso(T0), baseline: live.state.baseline! }),
      live.board.records,
    );
    state = applyEvent(state, { ...events[0], at: iso(sec(100)), seq: 1 }, P).state;
    state = noteResolveSeq(state, 'sbp_high', 2);
    state = applyEvent(state, { ...events[1], at: iso(sec(100)), seq: 3 }, P).state;
    state = noteResolveSeq(state, 'sbp_high', 4);
    expect(evaluateAt(state, sec(100), P).conditions.map((c) => c.condition)).not.toContain(
      'sbp_high',
    );
  });
});

describe('MOAA/S 2 resolved ("MOAA/S ... discrete: they raise at once"), judged by its check-in\'s seq', () => {
  it('replayed after the resolve (an engine rebuilt from the log) it stays barred', () => {
    const live = new Session().apply(checkInEvent(sec(0), { moaas: 2 }));
    expect(live.raises('moaas_low')).toHaveLength(1);
    live.resolve('moaas_low', sec(30));
    // Rebuilt at 100 s: the check-in (seq 1) is processed at the time of the replay, after the
    // resolve's time, but it precedes the resolve (seq 2) in the log.
    let state = noteManualResolves(
      makeEngine({ sessionState: 'monitoring', dosedAt: iso(T0) }),
      live.board.records,
    );
    state = applyEvent(state, { ...checkInEvent(sec(100), { moaas: 2 }), seq: 1 }, P).state;
    state = noteResolveSeq(state, 'moaas_low', 2);
    expect(evaluateAt(state, sec(101), P).conditions.map((c) => c.condition)).not.toContain(
      'moaas_low',
    );
    // A new check-in after the resolve, still MOAA/S 2: new evidence, raised at once.
    state = applyEvent(state, { ...checkInEvent(sec(110), { moaas: 2 }), seq: 3 }, P).state;
    expect(evaluateAt(state, sec(110), P).conditions).toContainEqual(
      expect.objectContaining({ condition: 'moaas_low', priority: 'high' }),
    );
  });
});

describe('a device SpO2 stream resolved while still low ("hold for a delay (default 15 s)")', () => {
  it('raises again only once it has held 15 s counted from the first post-resolve reading', () => {
    const s = new Session().spo2(89, 0, 15);
    expect(s.raises('spo2_low').map((r) => r.at)).toEqual([sec(15)]);
    s.resolve('spo2_low', sec(15) + 500);
    s.spo2(89, 16, 30); // first post-resolve reading at 16 s: held 14 s at 30 s
    s.tick(sec(30) + 900);
    expect(s.raises('spo2_low')).toHaveLength(1);
    s.spo2(89, 31, 31);
    expect(s.raises('spo2_low').map((r) => r.at)).toEqual([sec(15), sec(31)]);
  });

  it('after a gap, the hold runs from the stream that resumes ("also ... after a gap")', () => {
    const s = new Session().spo2(89, 0, 15);
    s.resolve('spo2_low', sec(16));
    s.spo2(89, 100, 114);
    expect(s.raises('spo2_low')).toHaveLength(1);
    s.spo2(89, 115, 115);
    expect(s.raises('spo2_low').map((r) => r.at)).toEqual([sec(15), sec(115)]);
  });

  it('a stream that recovered and dips again holds 15 s as any new dip', () => {
    const s = new Session().spo2(89, 0, 15);
    s.resolve('spo2_low', sec(16));
    s.spo2(97, 16, 40).spo2(89, 41, 55);
    expect(s.raises('spo2_low')).toHaveLength(1);
    s.spo2(89, 56, 56);
    expect(s.raises('spo2_low').map((r) => r.at)).toEqual([sec(15), sec(56)]);
  });
});

describe('help and symptoms ("raise at once"; "A repeated help press updates the help alert")', () => {
  it('a help press or an emergency symptom after a resolve raises a new alert at once', () => {
    const s = new Session().apply(
      helpEvent(sec(0)),
      checkInEvent(sec(1), { moaas: 5, symptoms: ['chest_pain'] }),
    );
    s.resolve('help', sec(30));
    s.resolve('symptom_chest_pain', sec(31));
    s.tick(sec(60));
    expect(s.board.held()).toEqual([]);
    s.apply(helpEvent(sec(90)), checkInEvent(sec(91), { moaas: 5, symptoms: ['chest_pain'] }));
    expect(s.raises('help').map((r) => r.at)).toEqual([sec(0), sec(90)]);
    expect(s.raises('symptom_chest_pain').map((r) => r.at)).toEqual([sec(1), sec(91)]);
    expect(s.board.heldFor('help')).toMatchObject({ priority: 'high', status: 'open' });
  });
});

describe('a worse situation is never barred ("pre-dose caution ... medium if dosing proceeds")', () => {
  it('an informational caution resolved before the dose raises at medium once dosed', () => {
    const s = new Session({
      sessionState: 'screening',
      dosedAt: null,
      baseline: { sbp: 150, dbp: 85, hr: 70 },
    });
    s.tick(sec(0));
    expect(s.board.heldFor('predose_caution')).toMatchObject({ priority: 'info' });
    s.resolve('predose_caution', sec(10));
    s.tick(sec(20));
    expect(s.raises('predose_caution')).toHaveLength(1);
    s.apply(stateEvent(sec(60), 'dosed'));
    expect(s.board.heldFor('predose_caution')).toMatchObject({ priority: 'medium' });
  });
});

describe('the resolve is known from the stored alerts (an engine rebuilt or stored before)', () => {
  it('a state without resolves, rebuilt from the log, learns them from the records', () => {
    const live = new Session().apply(BP_186(0));
    live.resolve('sbp_high', sec(30));
    // Rebuilt: a fresh state replays the log, as a new engine row does from seq 0.
    const rebuilt = createAlertEngineState({ baseline: null, sessionState: 'monitoring' });
    delete rebuilt.manualResolves;
    const noted = noteManualResolves(rebuilt, live.board.records);
    const r = applyEvent(noted, BP_186(0), P);
    const after = applyEvent(r.state, checkInEvent(sec(60), { moaas: 5 }), P);
    expect(after.conditions.map((c) => c.condition)).not.toContain('sbp_high');
    expect(noted.manualResolves).toEqual({ sbp_high: { at: sec(30), priority: 'high' } });
  });

  it('noting the same resolve again changes nothing, and a later alert supersedes it', () => {
    const s = new Session().spo2(89, 0, 15);
    s.resolve('spo2_low', sec(16));
    s.spo2(89, 17, 25);
    const again = noteManualResolves(s.state, s.board.records);
    expect(again).toBe(s.state);
    s.spo2(89, 26, 40);
    expect(s.board.heldFor('spo2_low')).toBeDefined();
    expect(noteManualResolves(s.state, s.board.records)).toBe(s.state);
  });
});
