import { applyEvents, type SessionModel } from '../../read-model/session-model';
import { eventLog } from '../../read-model/testing';
import { BoardModels, hasNewsBeyondReadings } from './board-models';

/** A store as the board sees it: a snapshot and its listeners, moved by hand. */
function fakeStore(first: ReadonlyMap<string, SessionModel>) {
  let snapshot = first;
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => snapshot,
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(next: ReadonlyMap<string, SessionModel>) {
      snapshot = next;
      for (const l of listeners) l();
    },
  };
}

describe('BoardModels', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  const log = eventLog('a').vitals(0, { heart_rate: 70 });
  const base = log.model();
  const withReading = (model: SessionModel, hr: number, at: number) =>
    applyEvents(model, [
      {
        ...log.events[0],
        seq: model.lastSeq + 1,
        data: {
          readings: [{ kind: 'heart_rate', value: hr, measuredAt: new Date(at).toISOString() }],
        },
      },
    ] as never);

  it('holds readings alone back to one showing per 250 ms, and shows the newest', () => {
    const store = fakeStore(new Map([['a', base]]));
    const board = new BoardModels(store);
    const changes = jest.fn();
    board.subscribe(changes);

    const r1 = withReading(base, 71, 1000);
    store.set(new Map([['a', r1]]));
    expect(board.getSnapshot().get('a')).toBe(r1); // nothing shown yet: at once
    jest.advanceTimersByTime(100);
    const r2 = withReading(r1, 72, 1100);
    store.set(new Map([['a', r2]]));
    const r3 = withReading(r2, 73, 1200);
    store.set(new Map([['a', r3]]));
    expect(board.getSnapshot().get('a')).toBe(r1);
    expect(changes).toHaveBeenCalledTimes(1);

    jest.advanceTimersByTime(150);
    expect(board.getSnapshot().get('a')).toBe(r3);
    expect(changes).toHaveBeenCalledTimes(2);
  });

  it('shows an alert, with the readings held so far, in the frame it arrives', () => {
    const store = fakeStore(new Map([['a', base]]));
    const board = new BoardModels(store);
    board.subscribe(() => undefined);
    store.set(new Map([['a', withReading(base, 71, 1000)]]));
    const held = withReading(store.getSnapshot().get('a')!, 72, 1100);
    store.set(new Map([['a', held]]));
    expect(board.getSnapshot().get('a')).not.toBe(held);

    const alert = applyEvents(held, [
      { ...eventLog('a').raise(0, 'a1', 'high', 'SpO2 85 %').events[0], seq: held.lastSeq + 1 },
    ]);
    store.set(new Map([['a', alert]]));
    expect(board.getSnapshot().get('a')).toBe(alert);
  });

  it("with the board's clock, holds readings alone until its next tick, news not", () => {
    const store = fakeStore(new Map([['a', base]]));
    const ticks = new Set<() => void>();
    const clock = {
      subscribe: (l: () => void) => {
        ticks.add(l);
        return () => ticks.delete(l);
      },
      isDue: () => true,
    };
    const board = new BoardModels(store, 250, Date.now, clock);
    const changes = jest.fn();
    const off = board.subscribe(changes);

    const r1 = withReading(base, 71, 1000);
    store.set(new Map([['a', r1]]));
    const r2 = withReading(r1, 72, 1100);
    store.set(new Map([['a', r2]]));
    // No timer shows them (a second's worth of gaps passes), only the tick.
    jest.advanceTimersByTime(900);
    expect(board.getSnapshot().get('a')).toBe(base);
    expect(changes).not.toHaveBeenCalled();
    for (const tick of ticks) tick();
    expect(board.getSnapshot().get('a')).toBe(r2);
    expect(changes).toHaveBeenCalledTimes(1);
    // A tick with nothing new shows nothing.
    for (const tick of ticks) tick();
    expect(changes).toHaveBeenCalledTimes(1);

    // An alert is shown at once, with the readings held so far.
    const held = withReading(r2, 73, 1200);
    store.set(new Map([['a', held]]));
    const alert = applyEvents(held, [
      { ...eventLog('a').raise(0, 'a1', 'high', 'SpO2 85 %').events[0], seq: held.lastSeq + 1 },
    ]);
    store.set(new Map([['a', alert]]));
    expect(board.getSnapshot().get('a')).toBe(alert);
    expect(changes).toHaveBeenCalledTimes(2);

    off();
    expect(ticks.size).toBe(0);
  });

  it("shows a session's readings in its own slot of the second, and news of one session alone", () => {
    const b = eventLog('b').vitals(0, { heart_rate: 60 }).model();
    const store = fakeStore(
      new Map([
        ['a', base],
        ['b', b],
      ]),
    );
    const ticks = new Set<() => void>();
    let due = 'a';
    const clock = {
      subscribe: (l: () => void) => {
        ticks.add(l);
        return () => ticks.delete(l);
      },
      isDue: (id: string) => id === due,
    };
    const board = new BoardModels(store, 250, Date.now, clock);
    const changes = jest.fn();
    board.subscribe(changes);
    const tick = (slot: string) => {
      due = slot;
      for (const t of ticks) t();
    };

    const a1 = withReading(base, 71, 1000);
    const b1 = withReading(b, 61, 1000);
    store.set(
      new Map([
        ['a', a1],
        ['b', b1],
      ]),
    );
    tick('a');
    expect(board.getSnapshot().get('a')).toBe(a1);
    expect(board.getSnapshot().get('b')).toBe(b); // held until its slot
    tick('b');
    expect(board.getSnapshot().get('b')).toBe(b1);
    expect(changes).toHaveBeenCalledTimes(2);
    // A slot with nothing new for its sessions shows nothing.
    tick('c');
    expect(changes).toHaveBeenCalledTimes(2);

    // An alert in b shows b at once; a's newer reading still waits for a's slot.
    const a2 = withReading(a1, 72, 2000);
    const bAlert = applyEvents(b1, [
      { ...eventLog('b').raise(0, 'b1', 'high', 'SpO2 85 %').events[0], seq: b1.lastSeq + 1 },
    ]);
    store.set(
      new Map([
        ['a', a2],
        ['b', bAlert],
      ]),
    );
    expect(board.getSnapshot().get('b')).toBe(bAlert);
    expect(board.getSnapshot().get('a')).toBe(a1);
    expect(changes).toHaveBeenCalledTimes(3);

    // A session that comes is shown at once; one that goes is gone at once.
    const c = eventLog('c').vitals(0, { heart_rate: 80 }).model();
    store.set(
      new Map([
        ['a', a2],
        ['c', c],
      ]),
    );
    expect([...board.getSnapshot().keys()]).toEqual(['a', 'c']);
    expect(board.getSnapshot().get('a')).toBe(a1);
    tick('a');
    expect(board.getSnapshot().get('a')).toBe(a2);
  });

  it('tells readings from news: a session loaded, an alert, the phone going silent', () => {
    const shown = new Map([['a', base]]);
    expect(hasNewsBeyondReadings(shown, new Map([['a', withReading(base, 71, 1000)]]))).toBe(false);
    expect(hasNewsBeyondReadings(shown, new Map([...shown, ['b', base]]))).toBe(true);
    expect(
      hasNewsBeyondReadings(
        shown,
        new Map([['a', { ...base, presence: { status: 'silent', lastSeenAt: null } }]]),
      ),
    ).toBe(true);
  });
});
