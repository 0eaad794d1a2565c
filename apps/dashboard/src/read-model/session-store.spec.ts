import type { SessionEvent, WatchReadings } from '@vigil/contracts';
import { SessionStore } from './session-store';
import { eventLog } from './testing';

function fakeSource() {
  const listeners = new Map<string, (events: SessionEvent[], reset: boolean) => void>();
  const watched: string[] = [];
  const stopped: string[] = [];
  return {
    listeners,
    watched,
    stopped,
    watch: (
      id: string,
      l: (events: SessionEvent[], reset: boolean) => void,
      readings: WatchReadings,
    ) => {
      listeners.set(id, l);
      watched.push(`${id}:${readings}`);
      return () => stopped.push(`${id}:${readings}`);
    },
  };
}

describe('SessionStore', () => {
  it('watches each tracked session once and folds its events into a model', () => {
    const source = fakeSource();
    const store = new SessionStore(source);
    const changes = jest.fn();
    store.subscribe(changes);
    store.track(['s1']);
    store.track(['s1']);
    const log = eventLog('s1').vitals(0, { spo2: 95 });
    source.listeners.get('s1')!(log.events, true);
    expect(store.getSnapshot().get('s1')?.latest.spo2?.value).toBe(95);
    log.vitals(1000, { spo2: 93 });
    source.listeners.get('s1')!(log.events.slice(1), false);
    expect(store.getSnapshot().get('s1')?.latest.spo2?.value).toBe(93);
    expect(changes).toHaveBeenCalledTimes(2);
  });

  it('keeps a pinned session watched after it leaves the live list, and drops it once unpinned', () => {
    const source = fakeSource();
    const store = new SessionStore(source);
    store.track(['s1', 's2']);
    const unpin = store.pin('s2');
    store.track(['s1']);
    expect(source.stopped).toEqual(['s2:latest']);
    unpin();
    expect(source.stopped).toEqual(['s2:latest', 's2:all']);
  });

  it("watches the board's sessions for their latest readings and an opened one for all of them", () => {
    const source = fakeSource();
    const store = new SessionStore(source);
    store.track(['s1', 's2']);
    expect(source.watched).toEqual(['s1:latest', 's2:latest']);
    // The board's answer: the newest reading only (the server left out the one before it).
    const log = eventLog('s2').vitals(0, { spo2: 95 }).vitals(1000, { spo2: 93 });
    source.listeners.get('s2')!(log.events.slice(1), true);
    expect(store.getSnapshot().get('s2')?.vitals.length).toBe(1);

    const unpin = store.pin('s2');
    // The full watch is registered before the board's is let go: never unwatched in between.
    expect(source.watched).toEqual(['s1:latest', 's2:latest', 's2:all']);
    expect(source.stopped).toEqual(['s2:latest']);
    store.pin('s2')();
    expect(source.watched).toHaveLength(3);
    // Until the whole log is in, the view has the board's model; then it is rebuilt from it.
    expect(store.getSnapshot().get('s2')?.latest.spo2?.value).toBe(93);
    source.listeners.get('s2')!(log.events, true);
    expect(
      store
        .getSnapshot()
        .get('s2')
        ?.vitals.toArray()
        .map((v) => v.value),
    ).toEqual([95, 93]);
    expect(store.getSnapshot().get('s2')?.latest.spo2?.value).toBe(93);

    // Back on the board, the session keeps its full watch: no second load.
    unpin();
    expect(source.stopped).toEqual(['s2:latest']);
  });
});

describe('SessionStore on a frame schedule', () => {
  it('folds a burst of live events from many sessions into one snapshot and one notification', () => {
    const source = fakeSource();
    const frames: Array<() => void> = [];
    const store = new SessionStore(source, (flush) => frames.push(flush));
    const changes = jest.fn();
    store.subscribe(changes);
    const ids = Array.from({ length: 50 }, (_, i) => `s${i}`);
    store.track(ids);
    for (const id of ids)
      source.listeners.get(id)!(eventLog(id).vitals(0, { spo2: 97 }).events, true);
    expect(frames).toHaveLength(1);
    expect(store.getSnapshot().size).toBe(0);
    frames.shift()!();
    expect(changes).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot().get('s49')?.latest.spo2?.value).toBe(97);
  });
});
