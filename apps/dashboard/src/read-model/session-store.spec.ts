import type { SessionEvent } from '@vigil/contracts';
import { SessionStore } from './session-store';
import { eventLog } from './testing';

function fakeSource() {
  const listeners = new Map<string, (events: SessionEvent[], reset: boolean) => void>();
  const stopped: string[] = [];
  return {
    listeners,
    stopped,
    watch: (id: string, l: (events: SessionEvent[], reset: boolean) => void) => {
      listeners.set(id, l);
      return () => stopped.push(id);
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
    expect(source.stopped).toEqual([]);
    unpin();
    expect(source.stopped).toEqual(['s2']);
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
