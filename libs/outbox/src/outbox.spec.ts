import fc from 'fast-check';
import { backoffDelay } from './backoff';
import { Outbox } from './outbox';
import type { OutboxItem, OutboxStore, OutboxTransport, SendResult } from './outbox-types';

/** An in-memory store that can be made to fail, standing in for IndexedDB. */
class MemoryStore implements OutboxStore {
  readonly rows = new Map<string, OutboxItem>();
  failPuts = false;
  put(item: OutboxItem) {
    if (this.failPuts) return Promise.reject(new Error('QuotaExceededError'));
    this.rows.set(item.clientId, JSON.parse(JSON.stringify(item)) as OutboxItem);
    return Promise.resolve();
  }
  list(userId: string) {
    return Promise.resolve([...this.rows.values()].filter((i) => i.userId === userId));
  }
  remove(ids: string[]) {
    for (const id of ids) this.rows.delete(id);
    return Promise.resolve();
  }
}

/** Like the API: the same clientId is recorded once and answered with the first seq. */
class FakeServer {
  readonly recorded = new Map<string, number>();
  send(item: OutboxItem): SendResult {
    const seq = this.recorded.get(item.clientId);
    if (seq !== undefined) return { kind: 'delivered', seq, duplicate: true };
    this.recorded.set(item.clientId, this.recorded.size + 1);
    return { kind: 'delivered', seq: this.recorded.size, duplicate: false };
  }
}

/** Timers we fire by hand, so backoff delays can be read and time never really passes. */
class ManualTimers {
  now = Date.parse('2026-11-26T10:00:00Z');
  pending: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  set = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.pending.push({ at: this.now + ms, fn, id });
    return id;
  };
  clear = (id: unknown) => {
    this.pending = this.pending.filter((t) => t.id !== id);
  };
  delays(): number[] {
    return this.pending.map((t) => t.at - this.now);
  }
  async fireNext(): Promise<void> {
    const next = this.pending.sort((a, b) => a.at - b.at).shift();
    if (!next) throw new Error('no timer pending');
    this.now = next.at;
    next.fn();
    await settle();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup(opts: {
  send: (item: OutboxItem) => SendResult | Promise<SendResult>;
  keepSettledMs?: number;
  maxPending?: number;
}) {
  const store = new MemoryStore();
  const timers = new ManualTimers();
  const sent: string[] = [];
  let online = true;
  let ids = 0;
  const transport: OutboxTransport = {
    send: (item) => {
      sent.push(item.clientId);
      return Promise.resolve(opts.send(item));
    },
  };
  const make = () =>
    new Outbox({
      store,
      transport,
      isOnline: () => online,
      now: () => timers.now,
      random: () => 1,
      newClientId: () => `id${++ids}`,
      setTimer: timers.set,
      clearTimer: timers.clear,
      keepSettledMs: opts.keepSettledMs,
      maxPending: opts.maxPending,
    });
  return {
    store,
    timers,
    sent,
    make,
    setOnline: (v: boolean) => {
      online = v;
    },
  };
}

const checkIn = { sessionId: 's1', kind: 'checkin' as const, body: { moaas: 5 } };

describe('Outbox', () => {
  it('stores an item on the phone before the first attempt to send it', async () => {
    const order: string[] = [];
    const t = setup({
      send: (item) => {
        order.push(`send ${item.clientId} stored=${t.store.rows.has(item.clientId)}`);
        return { kind: 'delivered', seq: 7, duplicate: false };
      },
    });
    const outbox = t.make();
    await outbox.open('u1');
    const item = await outbox.enqueue(checkIn);
    await outbox.flush();
    expect(order).toEqual([`send ${item.clientId} stored=true`]);
    expect(t.store.rows.get(item.clientId)).toMatchObject({ status: 'delivered', seq: 7 });
  });

  it('refuses to accept an item it could not store, and never sends it', async () => {
    const t = setup({ send: () => ({ kind: 'delivered', seq: 1, duplicate: false }) });
    const outbox = t.make();
    await outbox.open('u1');
    t.store.failPuts = true;
    await expect(outbox.enqueue(checkIn)).rejects.toThrow('QuotaExceededError');
    await settle();
    expect(t.sent).toEqual([]);
    expect(outbox.getItems()).toEqual([]);
  });

  it('retries with exponential backoff until acknowledged, with the same clientId', async () => {
    let calls = 0;
    const t = setup({
      send: () =>
        ++calls <= 3
          ? { kind: 'retry', message: 'no connection' }
          : { kind: 'delivered', seq: 3, duplicate: false },
    });
    const outbox = t.make();
    await outbox.open('u1');
    const item = await outbox.enqueue(checkIn);
    await settle();
    expect(t.timers.delays()).toEqual([1000]);
    expect(outbox.getItems()[0]).toMatchObject({ status: 'pending', lastError: 'no connection' });
    await t.timers.fireNext();
    expect(t.timers.delays()).toEqual([2000]);
    await t.timers.fireNext();
    expect(t.timers.delays()).toEqual([4000]);
    await t.timers.fireNext();
    expect(t.timers.delays()).toEqual([]);
    expect(t.sent).toEqual([item.clientId, item.clientId, item.clientId, item.clientId]);
    expect(outbox.getItems()[0]).toMatchObject({ status: 'delivered', attempts: 4, seq: 3 });
  });

  it("waits at least the server's Retry-After (up to a minute), else its own backoff", async () => {
    const answers: SendResult[] = [
      { kind: 'retry', message: 'database: unavailable', afterMs: 5000 },
      { kind: 'retry', message: 'busy', afterMs: 10 * 60_000 },
      { kind: 'retry', message: 'busy', afterMs: 100 },
      { kind: 'delivered', seq: 1, duplicate: false },
    ];
    const t = setup({ send: () => answers.shift()! });
    const outbox = t.make();
    await outbox.open('u1');
    await outbox.enqueue(checkIn);
    await settle();
    expect(t.timers.delays()).toEqual([5000]); // not the first backoff step, 1 s
    await t.timers.fireNext();
    expect(t.timers.delays()).toEqual([60_000]); // a wrong header does not park it for 10 min
    await t.timers.fireNext();
    expect(t.timers.delays()).toEqual([4000]); // the backoff, when it is the longer
    await t.timers.fireNext();
    expect(outbox.getItems()[0]).toMatchObject({ status: 'delivered' });
  });

  it('caps the backoff at a minute and jitters between half and all of a step', () => {
    expect([1, 2, 3, 6, 7, 20].map((n) => backoffDelay(n, 1))).toEqual([
      1000, 2000, 4000, 32000, 60000, 60000,
    ]);
    expect(backoffDelay(3, 0)).toBe(2000);
  });

  it('does not try while the phone is offline and sends at once when it comes back', async () => {
    const server = new FakeServer();
    const t = setup({ send: (i) => server.send(i) });
    t.setOnline(false);
    const outbox = t.make();
    await outbox.open('u1');
    await outbox.enqueue(checkIn);
    await settle();
    expect(t.sent).toEqual([]);
    expect(outbox.getItems()[0].status).toBe('pending');
    t.setOnline(true);
    outbox.wake();
    await outbox.flush();
    expect(outbox.getItems()[0].status).toBe('delivered');
    expect(server.recorded.size).toBe(1);
  });

  it('sends what a closed tab left behind after a reload, and never resends what was delivered', async () => {
    const server = new FakeServer();
    const t = setup({ send: (i) => server.send(i) });
    t.setOnline(false);
    const before = t.make();
    await before.open('u1');
    const first = await before.enqueue(checkIn);
    before.close();
    t.setOnline(true);

    const after = t.make(); // the page was reloaded: a new outbox over the same storage
    await after.open('u1');
    await after.flush();
    expect(t.sent).toEqual([first.clientId]);
    const second = await after.enqueue({ ...checkIn, body: { nausea: 2 } });
    await after.flush();

    const third = t.make();
    await third.open('u1');
    await third.flush();
    expect(t.sent).toEqual([first.clientId, second.clientId]);
    expect(third.getItems().map((i) => i.status)).toEqual(['delivered', 'delivered']);
  });

  it('keeps a refused item with the reason and goes on with the next one', async () => {
    const t = setup({
      send: (item) =>
        item.body.bad
          ? { kind: 'rejected', message: 'moaas: must be at most 5' }
          : { kind: 'delivered', seq: 2, duplicate: false },
    });
    const outbox = t.make();
    await outbox.open('u1');
    await outbox.enqueue({ ...checkIn, body: { bad: true } });
    await outbox.enqueue(checkIn);
    await outbox.flush();
    expect(outbox.getItems().map((i) => [i.status, i.lastError])).toEqual([
      ['rejected', 'moaas: must be at most 5'],
      ['delivered', undefined],
    ]);
    expect(t.timers.delays()).toEqual([]);
  });

  it('keeps a refusal the patient has not read past the two days, and forgets it once read', async () => {
    const t = setup({
      send: () => ({ kind: 'rejected', message: 'state: the session is ended' }),
      keepSettledMs: 2 * 24 * 3600_000,
    });
    const outbox = t.make();
    await outbox.open('u1');
    const help = await outbox.enqueue({ sessionId: 's1', kind: 'help', body: {} });
    await outbox.flush();

    t.timers.now += 3 * 24 * 3600_000;
    const later = t.make(); // the phone opened three days on: nobody saw the press yet
    await later.open('u1');
    expect(later.getItems().map((i) => [i.clientId, i.status])).toEqual([
      [help.clientId, 'rejected'],
    ]);
    await later.dismiss([help.clientId]);
    expect(t.store.rows.get(help.clientId)?.dismissedAt).toBe(new Date(t.timers.now).toISOString());

    const read = t.make();
    await read.open('u1');
    expect(read.getItems()).toEqual([]);
  });

  it('sends a help request before older check-ins still waiting', async () => {
    const server = new FakeServer();
    const t = setup({ send: (i) => server.send(i) });
    t.setOnline(false);
    const outbox = t.make();
    await outbox.open('u1');
    await outbox.enqueue(checkIn);
    const help = await outbox.enqueue({ sessionId: 's1', kind: 'help', body: {} });
    t.setOnline(true);
    outbox.wake();
    await outbox.flush();
    expect(t.sent[0]).toBe(help.clientId);
  });

  it('sends a help press at once while a check-in is still waiting for its answer', async () => {
    // The check-in's attempt hangs (a socket ack times out after 10 s; a REST fallback on a
    // stalled mobile network can hang longer): help must not wait for it to end.
    let answerCheckIn: (r: SendResult) => void = () => undefined;
    const t = setup({
      send: (i) =>
        i.kind === 'help'
          ? { kind: 'delivered', seq: 2, duplicate: false }
          : new Promise<SendResult>((resolve) => (answerCheckIn = resolve)),
    });
    const outbox = t.make();
    await outbox.open('u1');
    const first = await outbox.enqueue(checkIn);
    await settle();
    expect(t.sent).toEqual([first.clientId]);
    const help = await outbox.enqueue({ sessionId: 's1', kind: 'help', body: {} });
    await settle();
    expect(t.sent).toEqual([first.clientId, help.clientId]);
    expect(outbox.getItems().find((i) => i.clientId === help.clientId)?.status).toBe('delivered');
    // The check-in goes on in its own lane, in order, once its answer comes.
    answerCheckIn({ kind: 'delivered', seq: 1, duplicate: false });
    await settle();
    expect(outbox.getItems().map((i) => i.status)).toEqual(['delivered', 'delivered']);
  });

  it("never sends another account's items left on a shared phone", async () => {
    const server = new FakeServer();
    const t = setup({ send: (i) => server.send(i) });
    t.setOnline(false);
    const outbox = t.make();
    await outbox.open('u1');
    await outbox.enqueue(checkIn);
    t.setOnline(true);
    await outbox.open('u2');
    await outbox.flush();
    expect(t.sent).toEqual([]);
    expect(outbox.getItems()).toEqual([]);
  });

  it('records every item exactly once however often the network fails or loses an ack', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('ok', 'fail', 'lost-ack', 'throw'), { maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        async (script, count) => {
          const server = new FakeServer();
          let step = 0;
          const t = setup({
            send: (item) => {
              const what = script[step++] ?? 'ok';
              if (what === 'fail') return { kind: 'retry', message: 'timeout' };
              if (what === 'throw') throw new Error('socket closed');
              const result = server.send(item);
              // The server recorded it but the answer never reached the phone.
              return what === 'lost-ack' ? { kind: 'retry', message: 'ack timeout' } : result;
            },
          });
          const outbox = t.make();
          await outbox.open('u1');
          for (let i = 0; i < count; i++)
            await outbox.enqueue({ ...checkIn, body: { note: `${i}` } });
          await outbox.flush();
          while (t.timers.pending.length > 0) await t.timers.fireNext();
          expect(outbox.getItems().every((i) => i.status === 'delivered')).toBe(true);
          expect(server.recorded.size).toBe(count);
          expect(new Set(outbox.getItems().map((i) => i.seq)).size).toBe(count);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('with keepSettledMs 0, forgets an item once it is delivered or refused, and keeps a pending one', async () => {
    const answers: SendResult[] = [
      { kind: 'delivered', seq: 1, duplicate: false },
      { kind: 'rejected', message: 'invalid' },
      { kind: 'retry', message: 'unavailable' },
    ];
    const t = setup({ send: () => answers.shift()!, keepSettledMs: 0 });
    t.setOnline(false);
    const outbox = t.make();
    await outbox.open('u1');
    await outbox.enqueue(checkIn);
    await outbox.enqueue(checkIn);
    await outbox.enqueue(checkIn);
    t.setOnline(true);
    await outbox.flush();
    expect(t.sent).toEqual(['checkin-id1', 'checkin-id2', 'checkin-id3']);
    expect([...t.store.rows.keys()]).toEqual(['checkin-id3']);
    expect(outbox.getItems().map((i) => [i.clientId, i.status])).toEqual([
      ['checkin-id3', 'pending'],
    ]);
  });

  it('past maxPending drops the oldest vitals batch, never a check-in or a help press', async () => {
    const t = setup({ send: () => ({ kind: 'retry', message: 'offline' }), maxPending: 2 });
    t.setOnline(false);
    const outbox = t.make();
    await outbox.open('u1');
    const vitals = { sessionId: 's1', kind: 'vitals' as const, body: { readings: [] } };
    await outbox.enqueue(vitals);
    t.timers.now += 1_000;
    await outbox.enqueue(checkIn);
    t.timers.now += 1_000;
    await outbox.enqueue(vitals);
    expect(outbox.getItems().map((i) => i.clientId)).toEqual(['checkin-id2', 'vitals-id3']);
    t.timers.now += 1_000;
    await outbox.enqueue({ sessionId: 's1', kind: 'help', body: { note: '' } });
    expect(outbox.getItems().map((i) => i.clientId)).toEqual(['help-id4', 'checkin-id2']);
    expect([...t.store.rows.keys()].sort()).toEqual(['checkin-id2', 'help-id4']);
    t.timers.now += 1_000;
    await outbox.enqueue(checkIn);
    // Nothing left that may be dropped: a patient's own entries are never thrown away.
    expect(outbox.getItems()).toHaveLength(3);
  });
});
