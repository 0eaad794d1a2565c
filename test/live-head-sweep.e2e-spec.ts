import type { SessionHead } from '@vigil/contracts';
import { EventStore } from '../apps/api/src/modules/events/event-store';
import { LiveDelivery } from '../apps/api/src/modules/realtime/live-delivery';
import { WatchService } from '../apps/api/src/modules/realtime/watch.service';
import { assign, login, makeSession, makeUser } from './support/factories';
import {
  connectLive,
  connected,
  recordEvents,
  sleep,
  submitCheckIn,
  until,
  watch,
  type LiveClient,
} from './support/live-client';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The head sweep (issue 13's bounded lag) spends its work on quiet sessions: a session with a
 * live event since the last sweep gets no heads (its watchers had the seq with the event), a
 * quiet one does, and a busy session whose last event never reached this instance is still
 * caught up by the next sweep. The test stops the background sweep and runs each one itself.
 */
describe('head sweep: heads for quiet sessions, catch-up for all', () => {
  let t: TestApp;
  let watches: WatchService;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    watches = t.app.get(WatchService);
    watches.onModuleDestroy(); // no background sweep: each sweep below is the test's own
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  async function sweep(): Promise<SessionHead[]> {
    const heads: SessionHead[] = [];
    await watches.sweepHeads((socketIds, h) => heads.push(...socketIds.flatMap(() => h)));
    return heads.sort((a, b) => a.sessionId.localeCompare(b.sessionId));
  }

  async function committedHead(sessionId: string): Promise<number> {
    const [row] = await t.dataSource.query<Array<{ head_seq: string }>>(
      'SELECT head_seq FROM sessions WHERE id = $1',
      [sessionId],
    );
    return Number(row.head_seq);
  }

  /**
   * A patient's phone and `boards` sockets of their clinician, each watching `sessions` new
   * sessions of that patient from seq 0, after a first sweep (the window the next looks back on).
   */
  async function watched(sessions: number, boards = 1) {
    const ds = t.dataSource;
    const patient = await makeUser(ds, 'patient');
    const clinician = await makeUser(ds, 'clinician');
    await assign(ds, clinician, patient);
    const ids: string[] = [];
    for (let i = 0; i < sessions; i++) ids.push(await makeSession(ds, { patient, clinician }));
    const phone = connectLive(t.url, (await login(t.url, patient)).accessToken);
    const token = (await login(t.url, clinician)).accessToken;
    const clients = Array.from({ length: boards }, () => connectLive(t.url, token));
    sockets.push(phone, ...clients);
    await Promise.all([phone, ...clients].map((s) => connected(s)));
    const seen = clients.map((c) => recordEvents(c));
    for (const c of clients)
      for (const id of ids) expect(await watch(c, id, 0)).toMatchObject({ ok: true });
    await sweep();
    return { ids, phone, seen };
  }

  it('skips a session that had an event, tells the quiet ones, and catches up a lost last event', async () => {
    const {
      ids: [busy, quiet],
      phone: p,
      seen: [seen],
    } = await watched(2);

    expect(await submitCheckIn(p, busy, 'sweep-1')).toMatchObject({ ok: true, seq: 1 });
    await until(() => seen.some((e) => e.seq === 1), 5000, 'the live event');
    expect(await sweep()).toEqual([{ sessionId: quiet, headSeq: 0 }]);
    // Nothing since: now quiet too, and told its head.
    expect(await sweep()).toEqual(
      [
        { sessionId: busy, headSeq: 1 },
        { sessionId: quiet, headSeq: 0 },
      ].sort((a, b) => a.sessionId.localeCompare(b.sessionId)),
    );

    // Busy again, but its last event committed without reaching this instance's watchers.
    expect(await submitCheckIn(p, busy, 'sweep-2')).toMatchObject({ ok: true, seq: 2 });
    await until(() => seen.some((e) => e.seq === 2), 5000, 'the live event');
    // The fan-out hands committed events to the delivery engine: lost on the way to it.
    const deliver = jest
      .spyOn(LiveDelivery.prototype, 'deliver')
      .mockImplementation(() => undefined);
    expect(await submitCheckIn(p, busy, 'sweep-lost')).toMatchObject({ ok: true, seq: 3 });
    deliver.mockRestore();
    expect(await sweep()).toEqual([{ sessionId: quiet, headSeq: 0 }]);
    await until(() => seen.some((e) => e.seq === 3), 5000, 'the lost event, refilled');
    expect(seen.filter((e) => e.sessionId === busy).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('waits for an event this instance committed and has not published yet, instead of refilling it from the database', async () => {
    const {
      ids: [session],
      phone: p,
      seen: [seen],
    } = await watched(1);

    // Under load a committed group waits for the event loop before it publishes: held here.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const store = EventStore.prototype as unknown as {
      appendNewInOneStatement: (...args: unknown[]) => Promise<unknown>;
    };
    const original = store.appendNewInOneStatement;
    const hold = jest.spyOn(store, 'appendNewInOneStatement').mockImplementation(async function (
      this: unknown,
      ...args: unknown[]
    ) {
      const appended = await original.apply(this, args);
      await held;
      return appended;
    });
    const refills = jest.spyOn(EventStore.prototype, 'readAfter');
    try {
      const ack = submitCheckIn(p, session, 'committed-unpublished');
      for (let tries = 0; (await committedHead(session)) < 1; tries++) {
        if (tries > 500) throw new Error('timed out waiting for the commit');
        await sleep(10);
      }
      const swept = sweep();
      await sleep(600); // past the sweep's grace for an event on its way
      release();

      expect(await swept).toEqual([{ sessionId: session, headSeq: 1 }]);
      expect(await ack).toMatchObject({ ok: true, seq: 1 });
      expect(refills).not.toHaveBeenCalled();
      expect(seen.filter((e) => e.sessionId === session).map((e) => e.seq)).toEqual([1]);
    } finally {
      release();
      hold.mockRestore();
      refills.mockRestore();
    }
  });

  it('refills an event lost on the way to three watchers of a session with one read of the log', async () => {
    const {
      ids: [session],
      phone: p,
      seen,
    } = await watched(1, 3);

    const deliver = jest
      .spyOn(LiveDelivery.prototype, 'deliver')
      .mockImplementation(() => undefined);
    expect(await submitCheckIn(p, session, 'lost-to-three')).toMatchObject({ ok: true, seq: 1 });
    deliver.mockRestore();
    const refills = jest.spyOn(EventStore.prototype, 'readAfter');
    try {
      await sweep();
      await until(() => seen.every((events) => events.length === 1), 5000, 'the refills');
      expect(seen.map((events) => events.map((e) => e.seq))).toEqual([[1], [1], [1]]);
      expect(refills).toHaveBeenCalledTimes(1);
    } finally {
      refills.mockRestore();
    }
  });
});
