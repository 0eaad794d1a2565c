import type { SessionHead } from '@vigil/contracts';
import { LiveDelivery } from '../apps/api/src/modules/realtime/live-delivery';
import { WatchService } from '../apps/api/src/modules/realtime/watch.service';
import { assign, login, makeSession, makeUser } from './support/factories';
import {
  connectLive,
  connected,
  recordEvents,
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

  it('skips a session that had an event, tells the quiet ones, and catches up a lost last event', async () => {
    const ds = t.dataSource;
    const patient = await makeUser(ds, 'patient');
    const clinician = await makeUser(ds, 'clinician');
    await assign(ds, clinician, patient);
    const busy = await makeSession(ds, { patient, clinician });
    const quiet = await makeSession(ds, { patient, clinician });
    const p = connectLive(t.url, (await login(t.url, patient)).accessToken);
    const c = connectLive(t.url, (await login(t.url, clinician)).accessToken);
    sockets.push(p, c);
    await Promise.all([connected(p), connected(c)]);
    const seen = recordEvents(c);
    for (const id of [busy, quiet]) expect(await watch(c, id, 0)).toMatchObject({ ok: true });
    await sweep(); // starts the window the next sweep looks back on

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
});
