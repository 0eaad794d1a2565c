import type { ServerStatus } from '@vigil/contracts';
import { DatabaseStatus, STORE_STALLED_MS } from '../apps/api/src/modules/health/database-status';
import { CONNECTION_DEAD_AFTER_MS } from '../apps/api/src/modules/health/pool-doctor';
import { assign, login, makeSession, makeUser } from './support/factories';
import {
  connectLive,
  connected,
  submitCheckIn,
  until,
  type LiveClient,
} from './support/live-client';
import { StallProxy } from './support/stall-proxy';
import { createTestApp, createTestDatabase, type TestApp } from './support/test-app';

/**
 * v1.8: a dashboard is told when its server's database stops answering (nothing patients send is
 * stored or shown then, while the socket stays connected and the board would look live) and when
 * it answers again. The API reaches PostgreSQL through a proxy that holds every byte.
 */
describe('server.status: the database (v1.8)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: StallProxy;
  let t: TestApp;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await StallProxy.inFrontOf(database.url);
    t = await createTestApp({ databaseUrl: proxy.urlFor(database.url) });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    proxy.resume();
    await t.close();
    await proxy.close();
    await database.drop();
  });

  it("tells a clinician's dashboard when the database stops answering, since when, and when it answers again", async () => {
    const patient = await makeUser(t.dataSource, 'patient');
    const clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    await makeSession(t.dataSource, { patient, clinician });
    const board = connectLive(t.url, (await login(t.url, clinician)).accessToken);
    sockets.push(board);
    const statuses: ServerStatus[] = [];
    board.on('server.status', (s) => statuses.push(s));
    await connected(board);
    const status = t.app.get(DatabaseStatus);
    expect(status.isUnavailable()).toBe(false);
    // All is well: nothing is said on connect.
    await new Promise((r) => setTimeout(r, 300));
    expect(statuses).toEqual([]);

    const stalledAt = Date.now();
    proxy.stall('both');
    await until(() => statuses.length > 0, 20_000, 'told the database does not answer');
    const told = Date.now() - stalledAt;
    expect(statuses).toEqual([
      {
        crossInstanceDelivery: expect.any(String) as string,
        database: { state: 'unavailable', since: expect.any(String) as string },
      },
    ]);
    // Since when: the first probe that went unanswered, within one check interval of the stall.
    const since = Date.parse(statuses[0].database!.since);
    expect(since).toBeGreaterThanOrEqual(stalledAt - 2500);
    expect(since).toBeLessThanOrEqual(stalledAt + 2500);
    // One unanswered probe is not an outage: two in a row are, each given 2.5 s.
    expect(told).toBeGreaterThanOrEqual(2500);
    expect(told).toBeLessThan(15_000);
    expect(board.connected).toBe(true);

    proxy.resume();
    await until(() => statuses.length > 1, 10_000, 'told the database answers again');
    expect(statuses[1].database).toEqual({ state: 'ok', since: expect.any(String) as string });
    expect(Date.parse(statuses[1].database!.since)).toBeGreaterThan(since);
    expect(status.isUnavailable()).toBe(false);
  });

  it('tells it too when the database answers but stores nothing: every write waits on a lock', async () => {
    const patient = await makeUser(t.dataSource, 'patient');
    const clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    const sessionId = await makeSession(t.dataSource, { patient, clinician });
    const board = connectLive(t.url, (await login(t.url, clinician)).accessToken);
    const phone = connectLive(t.url, (await login(t.url, patient)).accessToken);
    sockets.push(board, phone);
    const statuses: ServerStatus[] = [];
    board.on('server.status', (s) => statuses.push(s));
    await Promise.all([connected(board), connected(phone)]);

    // A stuck transaction holds the audit chain's head: SELECT 1 still answers, no append commits.
    const blocker = t.dataSource.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    let released = false;
    try {
      await blocker.query('SELECT * FROM audit_chain_head FOR UPDATE');
      const stuckAt = Date.now();
      // Its ack will not come within the phone's 10 s: the phone sends it again afterwards.
      const first = submitCheckIn(phone, sessionId, 'stuck-1').catch(() => null);
      await until(() => statuses.length > 0, 30_000, 'told nothing is stored');
      expect(Date.now() - stuckAt).toBeGreaterThanOrEqual(STORE_STALLED_MS);
      expect(statuses[0].database?.state).toBe('unavailable');
      // Not saving since the check-in began to wait (its group's append), not since it was noticed.
      const since = Date.parse(statuses[0].database!.since);
      expect(since).toBeGreaterThanOrEqual(stuckAt - 100);
      expect(since).toBeLessThan(stuckAt + 1000);
      await blocker.rollbackTransaction();
      released = true;
      // The check-in waited, and is stored once the lock goes (once: the retry finds it).
      await first;
      expect(await submitCheckIn(phone, sessionId, 'stuck-1')).toMatchObject({ ok: true, seq: 1 });
      await until(() => statuses.length > 1, 10_000, 'told it stores again');
      expect(statuses[1].database?.state).toBe('ok');
    } finally {
      if (!released) await blocker.rollbackTransaction();
      await blocker.release();
    }
  });

  it("replaces the pool's connections that will never answer again (a NAT that forgot them)", async () => {
    const patient = await makeUser(t.dataSource, 'patient');
    const clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    const sessionId = await makeSession(t.dataSource, { patient, clinician });
    const phone = connectLive(t.url, (await login(t.url, patient)).accessToken);
    sockets.push(phone);
    await connected(phone);
    expect(await submitCheckIn(phone, sessionId, 'before')).toMatchObject({ ok: true, seq: 1 });

    // The pool full of idle connections, as after any busy minute: the next statements get them
    // (with free slots left, a statement on a dead one would only hang, and its retry go on a new).
    await Promise.all(
      Array.from({ length: 20 }, () => t.dataSource.query('SELECT pg_sleep(0.05)')),
    );
    // Every connection open now (the pool's and the health probe's) hears nothing ever again;
    // new ones pass. The phone sends again, with the same clientId, until it is acknowledged.
    proxy.abandon();
    const lostAt = Date.now();
    let ack: Awaited<ReturnType<typeof submitCheckIn>> | null = null;
    while (!ack?.ok && Date.now() - lostAt < 50_000)
      ack = await submitCheckIn(phone, sessionId, 'after').catch(() => null);
    expect(ack).toMatchObject({ ok: true, seq: 2 });
    expect(Date.now() - lostAt).toBeGreaterThanOrEqual(CONNECTION_DEAD_AFTER_MS);
    // And the next one on the new connections at once.
    const sentAt = Date.now();
    expect(await submitCheckIn(phone, sessionId, 'next')).toMatchObject({ ok: true, seq: 3 });
    expect(Date.now() - sentAt).toBeLessThan(2000);
  });
});
