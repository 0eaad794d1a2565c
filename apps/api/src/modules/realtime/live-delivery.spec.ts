import type { SessionEvent } from '@vigil/contracts';
import { LiveDelivery, type Owed } from './live-delivery';

const ev = (seq: number, sessionId = 's1'): SessionEvent => ({
  sessionId,
  seq,
  type: 'vitals.recorded',
  at: '2026-01-01T00:00:00.000Z',
  actorId: null,
  data: { readings: [] },
});

function harness(stored: SessionEvent[] = []) {
  const sent: Array<[string, number]> = [];
  const sends: Owed[][] = [];
  const delivery = new LiveDelivery({
    send: (owed) => {
      sends.push(owed);
      for (const { socketIds, events } of owed)
        for (const id of socketIds) for (const e of events) sent.push([id, e.seq]);
    },
    fetch: (sessionId, after, upTo) =>
      Promise.resolve(
        stored.filter((e) => e.sessionId === sessionId && e.seq > after && e.seq <= upTo),
      ),
    onError: (err) => {
      throw err;
    },
  });
  return { delivery, sent, sends };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('LiveDelivery', () => {
  it('holds live events during the backlog read and releases only those after it, once each', () => {
    const { delivery, sent } = harness();
    delivery.begin('s1', 'a', 2);
    delivery.deliver([ev(3), ev(4)]); // committed while the backlog query ran
    expect(sent).toEqual([]);
    delivery.complete('s1', 'a', 3); // the backlog held 3
    expect(sent).toEqual([['a', 4]]);
    delivery.deliver([ev(4), ev(5)]);
    expect(sent).toEqual([
      ['a', 4],
      ['a', 5],
    ]);
  });

  it('drops duplicates and refills a gap from the store, in order', async () => {
    const stored = [1, 2, 3, 4, 5].map((s) => ev(s));
    const { delivery, sent } = harness(stored);
    delivery.begin('s1', 'a', 0);
    delivery.complete('s1', 'a', 1);
    delivery.deliver([ev(1), ev(4)]); // 1 is a duplicate; 2 and 3 were lost
    delivery.deliver([ev(5)]);
    await flush();
    expect(sent.map(([, s]) => s)).toEqual([2, 3, 4, 5]);
  });

  it('sends to several in-step watchers at once and nothing after unwatch', () => {
    const { delivery, sent } = harness();
    for (const id of ['a', 'b']) {
      delivery.begin('s1', id, 0);
      delivery.complete('s1', id, 0);
    }
    delivery.deliver([ev(1)]);
    delivery.end('s1', 'a');
    delivery.deliver([ev(2)]);
    expect(sent).toEqual([
      ['a', 1],
      ['b', 1],
      ['b', 2],
    ]);
  });

  it('sends one delivery once, its events listed together for the sockets owed the same ones', () => {
    const { delivery, sends } = harness();
    for (const [sessionId, id] of [
      ['s1', 'a'],
      ['s2', 'a'],
      ['s1', 'b'],
      ['s2', 'b'],
      ['s1', 'c'],
    ]) {
      delivery.begin(sessionId, id, 0);
      delivery.complete(sessionId, id, 0);
    }
    delivery.deliver([ev(2, 's1'), ev(1, 's2'), ev(1, 's1')]);
    expect(sends).toHaveLength(1);
    const owed = sends[0].map((o) => [o.socketIds, o.events.map((e) => `${e.sessionId}:${e.seq}`)]);
    expect(owed).toEqual([
      [
        ['a', 'b'],
        ['s1:1', 's1:2', 's2:1'],
      ],
      [['c'], ['s1:1', 's1:2']],
    ]);
    delivery.deliver([ev(9, 'unwatched')]);
    expect(sends).toHaveLength(1); // nothing owed, nothing sent
  });

  it('keeps sessions apart', () => {
    const { delivery, sent } = harness();
    delivery.begin('s1', 'a', 0);
    delivery.complete('s1', 'a', 0);
    delivery.deliver([ev(1, 's2'), ev(1, 's1')]);
    expect(sent).toEqual([['a', 1]]);
  });

  it('catches a quiet watcher up to the head from the store, and reports those already there', async () => {
    const stored = [1, 2, 3].map((s) => ev(s));
    const { delivery, sent } = harness(stored);
    for (const id of ['behind', 'current']) delivery.begin('s1', id, 0);
    delivery.complete('s1', 'behind', 1);
    delivery.complete('s1', 'current', 3);
    expect(delivery.catchUp('s1', 3)).toEqual(['current']);
    await flush();
    expect(sent).toEqual([
      ['behind', 2],
      ['behind', 3],
    ]);
    expect(delivery.catchUp('s1', 3).sort()).toEqual(['behind', 'current']);
  });

  it('tells the head sweep which watched sessions had a live event since it last asked, and up to which seq', () => {
    const { delivery } = harness();
    delivery.begin('s1', 'a', 0);
    delivery.complete('s1', 'a', 0);
    delivery.begin('s2', 'a', 0);
    delivery.complete('s2', 'a', 0);
    delivery.deliver([ev(1), ev(2), ev(7, 'unwatched')]);
    expect([...delivery.takeBusy()]).toEqual(['s1']);
    expect(delivery.deliveredUpTo('s1')).toBe(2);
    expect(delivery.deliveredUpTo('s2')).toBe(0);
    expect([...delivery.takeBusy()]).toEqual([]);
    delivery.deliver([ev(1)]); // a late duplicate: busy again, the high mark stays
    expect([...delivery.takeBusy()]).toEqual(['s1']);
    expect(delivery.deliveredUpTo('s1')).toBe(2);
    delivery.end('s1', 'a');
    expect(delivery.deliveredUpTo('s1')).toBe(0);
  });

  it('lists the sessions each asked-for socket watches, backlogs in progress included', () => {
    const { delivery } = harness();
    delivery.begin('s1', 'a', 0);
    delivery.complete('s1', 'a', 0);
    delivery.begin('s2', 'a', 0); // its backlog still being read
    delivery.begin('s2', 'b', 0);
    delivery.begin('s3', 'c', 0);
    const watched = delivery.sessionsWatchedBy(new Set(['a', 'b', 'idle']));
    expect(Object.fromEntries(watched)).toEqual({ a: ['s1', 's2'], b: ['s2'] });
    delivery.endSocket('a');
    expect(Object.fromEntries(delivery.sessionsWatchedBy(new Set(['a', 'b'])))).toEqual({
      b: ['s2'],
    });
  });
});
