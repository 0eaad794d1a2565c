import type { AppendOutcome, AppendRequest, EventStore } from './event-store';
import {
  GATHER_ENOUGH,
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
const settle = () => new Promise((r) => setImmediate(r));
/** Every commit slot taken: a routine group, then help presses, each of which starts its own. */
const fillSlots = (queue: SubmissionQueue) => [
  queue.submit(request(1)),
  ...[2, 3, 4].map((n) => queue.submit(help(n))),
];

describe('SubmissionQueue', () => {
  let now = 1_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  it('groups the routine ones that arrive while a commit is in flight into one next group', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const first = queue.submit(request(1));
    const waiting = [2, 3, 4].map((n) => queue.submit(request(n)));
    expect(store.groups.map((g) => g.length)).toEqual([1]);
    store.releaseAll();
    await first;
    await settle();
    expect(store.groups.slice(1).map((g) => g.length)).toEqual([3]);
    store.releaseAll();
    await expect(Promise.all(waiting)).resolves.toHaveLength(3);
  });

  it('starts a group at once for a help press or an alert-worthy reading, beside the one in flight', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const inFlight = queue.submit(request(1));
    const routine = queue.submit(request(2));
    const pressed = queue.submit(help(3));
    const urgent = queue.submit({
      ...request(4),
      type: 'vitals.recorded',
      data: { readings: [{ kind: 'spo2', value: 84, measuredAt: '2026-12-02T10:00:00.000Z' }] },
    });
    // The help press takes the routine one waiting with it; the reading starts a third group.
    expect(store.groups.map((g) => g.map((r) => r.clientId))).toEqual([
      ['c1'],
      ['c3', 'c2'],
      ['c4'],
    ]);
    store.releaseAll();
    await expect(Promise.all([inFlight, routine, pressed, urgent])).resolves.toHaveLength(4);
  });

  it('starts another routine group beside the one in flight once enough wait', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const all = [queue.submit(request(0))];
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
    const old = [5, 6].map((n) => queue.submit(request(n)));
    now += MAX_QUEUE_WAIT_MS + 1;
    const fresh = queue.submit(request(7));
    store.releaseAll();
    await inFlight;
    for (const p of old) await expect(p).rejects.toBeInstanceOf(SubmissionsBusyError);
    await settle();
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
    now += MAX_QUEUE_WAIT_MS + 1;
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
    now += MAX_QUEUE_WAIT_MS + 1;
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

  it('never sheds while a commit slot is free: an idle server writes at once, however late', async () => {
    const store = new GatedStore();
    const queue = new SubmissionQueue(store as unknown as EventStore);
    const p = queue.submit(request(1));
    now += 10 * MAX_QUEUE_WAIT_MS;
    store.releaseAll();
    await expect(p).resolves.toEqual({ status: 'duplicate', seq: 1 });
  });
});
