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
