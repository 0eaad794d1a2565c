// An assignment ended on instance A, watched on instance B whose clock is 50 ms
// behind A's (two hosts under NTP). API.md: "POST /api/admin/assignments/:id/end ... 201; the
// clinician's sockets stop receiving that patient's sessions at once".
import { ManualClock } from '../apps/api/src/common/clock';
import { assign, http, login, makeSession, makeUser } from './support/factories';
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

const REDIS_URL = process.env.REDIS_URL;
const describeWithRedis = REDIS_URL ? describe : describe.skip;

describeWithRedis(
  "ending an assignment on A stops the watch on B although B's clock is 50 ms behind A's",
  () => {
    let a: TestApp;
    let b: TestApp;
    const sockets: LiveClient[] = [];
    const t0 = Date.now();

    beforeAll(async () => {
      // Re-check long: what is tested is the revocation message between instances ("at once").
      const env = { REDIS_URL: REDIS_URL!, LIVE_ACCESS_RECHECK_SECONDS: '60' };
      a = await createTestApp({ env, clock: new ManualClock(new Date(t0)) });
      b = await createTestApp({
        env,
        databaseUrl: a.databaseUrl,
        clock: new ManualClock(new Date(t0 - 50)),
      });
    });
    afterAll(async () => {
      for (const s of sockets.splice(0)) s.disconnect();
      await b.close();
      await a.close();
    });

    it("stops the clinician's watch on B at once", async () => {
      const patient = await makeUser(a.dataSource, 'patient');
      const clinician = await makeUser(a.dataSource, 'clinician');
      const supervisor = await makeUser(a.dataSource, 'supervisor');
      const assignmentId = await assign(a.dataSource, clinician, patient);
      const sessionId = await makeSession(a.dataSource, { patient, clinician });
      const c = connectLive(b.url, (await login(b.url, clinician)).accessToken);
      const p = connectLive(a.url, (await login(a.url, patient)).accessToken);
      sockets.push(c, p);
      await Promise.all([connected(c), connected(p)]);
      const live = recordEvents(c);
      expect(await watch(c, sessionId, 0)).toMatchObject({ ok: true });
      expect(await submitCheckIn(p, sessionId, 'before')).toMatchObject({ ok: true });
      await until(() => live.length === 1, 3000, 'the first event on B');

      const res = await http(a.url, 'POST', `/api/admin/assignments/${assignmentId}/end`, {
        token: (await login(a.url, supervisor)).accessToken,
      });
      expect(res.status).toBe(201);
      await sleep(300); // the revocation has crossed to B and been acted on
      // Both clocks move on by a second: B's is now well past the end A recorded.
      (a.clock as ManualClock).advance(1000);
      (b.clock as ManualClock).advance(1000);
      await sleep(1000);
      expect(await submitCheckIn(p, sessionId, 'after-1')).toMatchObject({ ok: true });
      expect(await submitCheckIn(p, sessionId, 'after-2')).toMatchObject({ ok: true });
      await sleep(1000);
      // B itself now says the clinician may not see the session...
      expect(await watch(c, sessionId, 100)).toMatchObject({ ok: false });
      // ...and the patient's events committed after the end must not have reached them.
      expect(live.map((e) => e.seq)).toEqual([1]);
    });
  },
);
