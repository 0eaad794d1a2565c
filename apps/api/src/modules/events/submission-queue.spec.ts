import type { AppendOutcome, AppendRequest, EventStore } from './event-store';
import {
  GATHER_ENOUGH,
  GATHER_MS,
  MAX_QUEUE_WAIT_MS,
  SubmissionQueue,
  SubmissionsBusyError,
} from './submission-queue';

/**
 * The queue's own policy (grouping, shedding), over a store whose commits the test releases by
 * hand: the store's SQL is covered by the e2e tests against PostgreSQL.
 */
class GatedStore {
  readonly groups: AppendRequest[][] = [];
  private readonly gates: Array<() => void> = [];

  append(requests: AppendRequest[]): Promise<AppendOutcome[]> {
    this.groups.push(requests);
    return new Promise((resolve) => {
      this.gates.push(() => resolve(requests.map(() => ({ status: 'duplicate', seq: 1 }))));
    });
  }

  releaseAll(): void {
    for (const open of this.gates.splice(0)) open();
  }
}

const request = (n: number) => ({ sessionId: 's', clientId: `c${n}` }) as AppendRequest;
const help = (n: number) => ({ ...request(n), type: 'help.requested' }) as AppendRequest;
/** A vitals submission of one reading (no `source`: a device's continuous stream). */
const reading = (n: number, r: { kind: string; value: number; source?: string }) =>
  ({
    ...request(n),
    type: 'vitals.recorded',
    data: { readings: [{ ...r, measuredAt: '2026-12-02T10:00:00.000Z' }] },
  }) as AppendRequest;
const settle = () => new Promise((r) => setImmediate(r));
/** Time passes for the queue's clock and its timers (GATHER_MS: an idle queue's wait). */
const pass = (ms: number) => jest.advanceTimersByTime(ms);
/** The clock jumps, no timer fires: how long something waited, as far as shedding goes. */
const jump = (ms: number) => jest.setSystemTime(Date.now() + ms);
/** Every commit slot taken: a routine group, then help presses, each of which starts its own. */
const fillSlots = (queue: SubmissionQueue) => {
  const routine = queue.submit(request(1));
  pass(GATHER_MS);
  return [routine, ...[2, 3, 4].map((n) => queue.submit(help(n)))];
};

describe('SubmissionQueue', () => {
  beforeEach(() =>
    jest.useFakeTimers({
      now: 1_000_000,
      doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'],
    }),
  );
  afterEach(() => jest.useRealTimers());

  it('on an idle server, gathers routine ones for GATHER_MS into one group', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const first = queue.submit(request(1));
    pass(GATHER_MS / 2);
    const second = queue.submit(request(2));
    pass(GATHER_MS / 2 - 1);
    expect(store.groups).toEqual([]);
    pass(1);
    expect(store.groups.map((g) => g.map((r) => r.clientId))).toEqual([['c1', 'c2']]);
    store.releaseAll();
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
  });

  it('on an idle server, writes a help press at once, with what was gathering', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const routine = queue.submit(request(1));
    const pressed = queue.submit(help(2));
    expect(store.groups.map((g) => g.map((r) => r.clientId))).toEqual([['c2', 'c1']]);
    pass(GATHER_MS);
    expect(store.groups).toHaveLength(1);
    store.releaseAll();
    await expect(Promise.all([routine, pressed])).resolves.toHaveLength(2);
  });

  it('groups the routine ones that arrive while a commit is in flight into one next group', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const first = queue.submit(request(1));
    pass(GATHER_MS);
    const waiting = [2, 3, 4].map((n) => queue.submit(request(n)));
    expect(store.groups.map((g) => g.length)).toEqual([1]);
    pass(GATHER_MS / 2);
    store.releaseAll();
    await first;
    await settle();
    // They gather until the oldest has waited GATHER_MS, the commit in flight included.
    expect(store.groups).toHaveLength(1);
    pass(GATHER_MS / 2);
    expect(store.groups.slice(1).map((g) => g.length)).toEqual([3]);
    store.releaseAll();
    await expect(Promise.all(waiting)).resolves.toHaveLength(3);
  });

  it('starts a group at once for a help press or a reading that may alert at once, beside the one in flight', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const inFlight = queue.submit(request(1));
    pass(GATHER_MS);
    const routine = queue.submit(request(2));
    const pressed = queue.submit(help(3));
    const typedIn = queue.submit(reading(4, { kind: 'spo2', value: 84, source: 'manual' }));
    const bp = queue.submit(reading(5, { kind: 'bp_systolic', value: 186 }));
    // The help press takes the routine one waiting with it; each reading starts a group.
    expect(store.groups.map((g) => g.map((r) => r.clientId))).toEqual([
      ['c1'],
      ['c3', 'c2'],
      ['c4'],
      ['c5'],
    ]);
    store.releaseAll();
    await expect(Promise.all([inFlight, routine, pressed, typedIn, bp])).resolves.toHaveLength(5);
  });

  it("puts a device's reading at a limit first in the next group, without a group of its own, and never sheds it", async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const inFlight = queue.submit(request(1));
    pass(GATHER_MS);
    const routine = queue.submit(request(2));
    // A streamed SpO2 raises nothing before its stream delay (15 s): no group beside the one
    // in flight for it, however low.
    const streamed = [3, 4].map((n) => queue.submit(reading(n, { kind: 'spo2', value: 84 + n })));
    expect(store.groups.map((g) => g.map((r) => r.clientId))).toEqual([['c1']]);
    jump(MAX_QUEUE_WAIT_MS + 1);
    store.releaseAll();
    await inFlight;
    await expect(routine).rejects.toBeInstanceOf(SubmissionsBusyError);
    await settle();
    pass(GATHER_MS);
    expect(store.groups.slice(1).map((g) => g.map((r) => r.clientId))).toEqual([['c3', 'c4']]);
    store.releaseAll();
    await expect(Promise.all(streamed)).resolves.toHaveLength(2);
  });

  it("on an idle server, gathers a device's reading at a limit for GATHER_MS like a routine one", async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const streamed = queue.submit(reading(1, { kind: 'spo2', value: 94 }));
    const routine = queue.submit(request(2));
    expect(store.groups).toEqual([]);
    pass(GATHER_MS);
    expect(store.groups.map((g) => g.map((r) => r.clientId))).toEqual([['c1', 'c2']]);
    store.releaseAll();
    await expect(Promise.all([streamed, routine])).resolves.toHaveLength(2);
  });

  it('starts a group beside the one in flight once the oldest waiting has gathered GATHER_MS', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const inFlight = queue.submit(request(1));
    pass(GATHER_MS);
    const waiting = [2, 3].map((n) => queue.submit(request(n)));
    pass(GATHER_MS - 1);
    expect(store.groups.map((g) => g.map((r) => r.clientId))).toEqual([['c1']]);
    pass(1);
    expect(store.groups.map((g) => g.map((r) => r.clientId))).toEqual([['c1'], ['c2', 'c3']]);
    store.releaseAll();
    await expect(Promise.all([inFlight, ...waiting])).resolves.toHaveLength(3);
  });

  it('starts another routine group beside the one in flight once enough wait', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const all = [queue.submit(request(0))];
    pass(GATHER_MS);
    for (let n = 1; n < GATHER_ENOUGH; n += 1) all.push(queue.submit(request(n)));
    expect(store.groups.map((g) => g.length)).toEqual([1]);
    all.push(queue.submit(request(GATHER_ENOUGH)));
    expect(store.groups.map((g) => g.length)).toEqual([1, GATHER_ENOUGH]);
    store.releaseAll();
    await expect(Promise.all(all)).resolves.toHaveLength(GATHER_ENOUGH + 1);
  });

  it('answers busy, storing nothing, what waited past the bound, and commits what is fresh', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const inFlight = queue.submit(request(1));
    pass(GATHER_MS);
    const old = [5, 6].map((n) => queue.submit(request(n)));
    jump(MAX_QUEUE_WAIT_MS + 1);
    const fresh = queue.submit(request(7));
    store.releaseAll();
    await inFlight;
    for (const p of old) await expect(p).rejects.toBeInstanceOf(SubmissionsBusyError);
    await settle();
    pass(GATHER_MS);
    // Only the fresh one reached the store after the first.
    expect(store.groups.slice(1).map((g) => g.map((r) => r.clientId))).toEqual([['c7']]);
    store.releaseAll();
    await expect(fresh).resolves.toEqual({ status: 'duplicate', seq: 1 });
  });

  it('never sheds a help press, however long it waited: it goes in the next group', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const inFlight = fillSlots(queue);
    const vitals = queue.submit(request(5));
    const pressed = queue.submit(help(6));
    jump(MAX_QUEUE_WAIT_MS + 1);
    store.releaseAll();
    await Promise.all(inFlight);
    await expect(vitals).rejects.toBeInstanceOf(SubmissionsBusyError);
    await settle();
    expect(store.groups.slice(4).map((g) => g.map((r) => r.clientId))).toEqual([['c6']]);
    store.releaseAll();
    await expect(pressed).resolves.toEqual({ status: 'duplicate', seq: 1 });
  });

  it('puts help presses and alert-worthy readings ahead of the routine ones, and never sheds them', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const inFlight = fillSlots(queue);
    const vitals = (n: number, kind: string, value: number) =>
      queue.submit({
        ...request(n),
        type: 'vitals.recorded',
        data: { readings: [{ kind, value, measuredAt: '2026-12-02T10:00:00.000Z' }] },
      } as AppendRequest);
    const routine = vitals(5, 'bp_systolic', 128);
    const urgent = vitals(6, 'bp_systolic', 186);
    const pressed = queue.submit(help(7));
    const alsoStale = vitals(8, 'heart_rate', 72);
    jump(MAX_QUEUE_WAIT_MS + 1);
    const later = vitals(9, 'heart_rate', 72);
    store.releaseAll();
    await Promise.all(inFlight);
    await expect(routine).rejects.toBeInstanceOf(SubmissionsBusyError);
    await expect(alsoStale).rejects.toBeInstanceOf(SubmissionsBusyError);
    await settle();
    expect(store.groups.slice(4).map((g) => g.map((r) => r.clientId))).toEqual([
      ['c6', 'c7', 'c9'],
    ]);
    store.releaseAll();
    await expect(Promise.all([urgent, pressed, later])).resolves.toHaveLength(3);
  });

  it('never sheds what an idle server gathers, however late its timer fires (a stalled loop)', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const p = queue.submit(request(1));
    jump(10 * MAX_QUEUE_WAIT_MS);
    const next = queue.submit(request(2));
    pass(GATHER_MS);
    expect(store.groups.map((g) => g.map((r) => r.clientId))).toEqual([['c1', 'c2']]);
    store.releaseAll();
    await expect(next).resolves.toEqual({ status: 'duplicate', seq: 1 });
    await expect(p).resolves.toEqual({ status: 'duplicate', seq: 1 });
  });
});
