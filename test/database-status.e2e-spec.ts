import type { ServerStatus } from '@vigil/contracts';
import { DatabaseStatus } from '../apps/api/src/modules/health/database-status';
import { assign, login, makeSession, makeUser } from './support/factories';
import { connectLive, connected, until, type LiveClient } from './support/live-client';
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
});
