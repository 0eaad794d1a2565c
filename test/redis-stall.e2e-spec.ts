import type { ServerStatus, SessionEvent } from '@vigil/contracts';
import { CrossInstanceStatus } from '../apps/api/src/modules/realtime/cross-instance-status';
import {
  REDIS_ECHO_LOST_MS,
  REDIS_IDLE_TIMEOUT_MS,
} from '../apps/api/src/modules/realtime/redis-link';
import { assign, login, makeSession, makeUser } from './support/factories';
import { freePort } from './support/global-setup';
import {
  connectLive,
  connected,
  recordEvents,
  submitCheckIn,
  until,
  watch,
  type LiveClient,
} from './support/live-client';
import { HAVE_REDIS_SERVER, OwnRedis } from './support/own-redis';
import { StallProxy } from './support/stall-proxy';
import { createTestApp, type TestApp } from './support/test-app';

const describeWithRedisServer = HAVE_REDIS_SERVER ? describe : describe.skip;

/**
 * A Redis that stops answering without closing anything (a network dropping packets, a frozen
 * Redis host): both instances' connections stay open, so node-redis calls them ready. Before the
 * echo check (RedisLink) the instances said cross-instance delivery was `ok` throughout, the
 * other instance's events reached the board only by the head sweep, and every publish waited in
 * the client's queue.
 */
describeWithRedisServer(
  'a Redis that stops answering (two instances through a stalling proxy)',
  () => {
    let redis: OwnRedis;
    let proxy: StallProxy;
    let a: TestApp;
    let b: TestApp;
    const sockets: LiveClient[] = [];

    beforeAll(async () => {
      redis = new OwnRedis(await freePort());
      await redis.start();
      proxy = await StallProxy.inFrontOf(redis.url);
      const env = { REDIS_URL: proxy.urlFor(redis.url) };
      a = await createTestApp({ env });
      b = await createTestApp({ env, databaseUrl: a.databaseUrl });
    });
    afterAll(async () => {
      for (const s of sockets) s.disconnect();
      proxy.resume();
      await b.close();
      await a.close();
      await proxy.close();
      await redis.kill();
    });

    /**
     * Both instances joined; a patient's phone on A and their clinician's board on B watching the
     * session, with what the board is told of cross-instance delivery and the events it receives.
     */
    async function phoneOnAWatchedFromB() {
      const status = [a, b].map((t) => t.app.get(CrossInstanceStatus));
      await until(() => status.every((s) => !s.isDegraded()), 10_000, 'both instances joined');
      const patient = await makeUser(a.dataSource, 'patient');
      const clinician = await makeUser(a.dataSource, 'clinician');
      await assign(a.dataSource, clinician, patient);
      const sessionId = await makeSession(a.dataSource, { patient, clinician });
      const phone = connectLive(a.url, (await login(a.url, patient)).accessToken);
      const board = connectLive(b.url, (await login(b.url, clinician)).accessToken);
      sockets.push(phone, board);
      const told: ServerStatus['crossInstanceDelivery'][] = [];
      board.on('server.status', (s) => told.push(s.crossInstanceDelivery));
      await Promise.all([connected(phone), connected(board)]);
      const seen: SessionEvent[] = recordEvents(board);
      expect(await watch(board, sessionId, 0)).toMatchObject({ ok: true });
      return { status, sessionId, phone, told, seen };
    }

    it('tells the boards "delayed" while it stalls, carries events by the head sweep, and says ok once it answers', async () => {
      const { status, sessionId, phone, told, seen } = await phoneOnAWatchedFromB();
      expect(await submitCheckIn(phone, sessionId, 'before-stall')).toMatchObject({ seq: 1 });
      await until(() => seen.length === 1, 2000, 'the event through Redis');

      proxy.stall('both');
      const stalledAt = Date.now();
      await until(() => told.includes('degraded'), REDIS_ECHO_LOST_MS + 4000, 'the board told');
      expect(Date.now() - stalledAt).toBeGreaterThanOrEqual(REDIS_ECHO_LOST_MS - 1000);
      // Each instance finds it on its own echo's clock: B told its board, A within a second.
      await until(() => status.every((s) => s.isDegraded()), 3000, 'both instances degraded');
      // Meanwhile events still reach the other instance's board, by the head sweep.
      expect(await submitCheckIn(phone, sessionId, 'during-stall')).toMatchObject({ seq: 2 });
      await until(() => seen.length === 2, 5000, 'the event by the head sweep');

      proxy.resume();
      await until(() => told.at(-1) === 'ok', 4000, 'the board told ok');
      await until(() => status.every((s) => !s.isDegraded()), 3000, 'both instances ok');
      const sentAt = Date.now();
      expect(await submitCheckIn(phone, sessionId, 'after-stall')).toMatchObject({ seq: 3 });
      await until(() => seen.length === 3, 2000, 'the event through Redis again');
      expect(Date.now() - sentAt).toBeLessThan(1000);
      expect(seen.map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('replaces connections that will never answer again (a NAT that forgot them) in 15-20 s, not when the kernel gives up on them', async () => {
      const { status, sessionId, phone, told, seen } = await phoneOnAWatchedFromB();
      const before = proxy.connections;

      proxy.abandon();
      const lostAt = Date.now();
      await until(() => told.includes('degraded'), REDIS_ECHO_LOST_MS + 4000, 'the board told');
      // Each instance's two connections go quiet, time out and are opened again; then the echo
      // crosses the new ones. Before REDIS_IDLE_TIMEOUT_MS the old ones stayed "ready" for good.
      const bound = REDIS_ECHO_LOST_MS + REDIS_IDLE_TIMEOUT_MS + 8000;
      await until(() => told.at(-1) === 'ok', bound, 'the board told ok on new connections');
      // Each instance's connections time out on their own clock, so the other instance may
      // recover a few seconds after the board's (a CI run in parallel workers once took more
      // than 3 s): both within the same bound from the loss, still seconds, not minutes.
      const left = Math.max(3000, lostAt + bound - Date.now());
      await until(() => status.every((s) => !s.isDegraded()), left, 'both instances ok');
      expect(Date.now() - lostAt).toBeGreaterThanOrEqual(REDIS_IDLE_TIMEOUT_MS);
      expect(proxy.connections).toBeGreaterThanOrEqual(before);

      const sentAt = Date.now();
      expect(await submitCheckIn(phone, sessionId, 'on-new-connections')).toMatchObject({
        seq: 1,
      });
      await until(() => seen.length === 1, 2000, 'the event through Redis');
      expect(Date.now() - sentAt).toBeLessThan(1000);
    });
  },
);
