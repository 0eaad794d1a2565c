import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createClient } from 'redis';
import type { BoardBatch } from '@vigil/contracts';
import { migrateDatabase } from '../apps/api/src/database/migrate-database';
import { CrossInstanceStatus } from '../apps/api/src/modules/realtime/cross-instance-status';
import { assign, makeSession, makeUser, type TestUser } from './support/factories';
import { sleep, socketPool, submitCheckIn, until, type LiveClient } from './support/live-client';
import {
  createTestApp,
  createTestDatabase,
  twoInstancesOverRedis,
  type TestApp,
} from './support/test-app';

const REDIS_URL = process.env.REDIS_URL;

/** Every session a board socket has been sent a summary of. */
function sessionsOn(socket: LiveClient): Set<string> {
  const seen = new Set<string>();
  socket.on('board.batch', (b: BoardBatch) => {
    for (const s of b.summaries) seen.add(s.sessionId);
  });
  return seen;
}

/**
 * Two deployments (two clinics, or staging beside production) whose operators point them at one
 * Redis server. Each deployment's instances must share their rooms and events with each other
 * and with no one else: a supervisor's board takes every session of its own deployment, so a
 * shared channel would put one clinic's patients on the other's screens.
 */
(REDIS_URL ? describe : describe.skip)('two deployments sharing one Redis', () => {
  const clinicX = twoInstancesOverRedis(REDIS_URL ?? '');
  let clinicY: TestApp;
  const sockets = socketPool();

  beforeAll(async () => {
    clinicY = await createTestApp({ env: { REDIS_URL: REDIS_URL ?? '' } });
  });
  afterAll(() => clinicY?.close());

  /** A monitored session on `a`'s database, its supervisor, and its patient's phone on `a`. */
  async function monitored(
    a: TestApp,
  ): Promise<{ sessionId: string; supervisor: TestUser; phone: LiveClient }> {
    const ds = a.dataSource;
    const patient = await makeUser(ds, 'patient');
    const clinician = await makeUser(ds, 'clinician');
    await assign(ds, clinician, patient);
    const sessionId = await makeSession(ds, { patient, clinician });
    const supervisor = await makeUser(ds, 'supervisor');
    return { sessionId, supervisor, phone: await sockets.open(a.url, patient) };
  }

  it("carries a session's summary to its own deployment's other instance, never to the other deployment", async () => {
    const { sessionId, supervisor: ownSupervisor, phone } = await monitored(clinicX.a);
    const otherSupervisor = await makeUser(clinicY.dataSource, 'supervisor');

    const own = sessionsOn(await sockets.open(clinicX.b.url, ownSupervisor, { board: 'batch' }));
    const other = sessionsOn(await sockets.open(clinicY.url, otherSupervisor, { board: 'batch' }));

    const ack = await submitCheckIn(phone, sessionId, `deployments-${Date.now()}`);
    expect(ack.ok).toBe(true);
    // Committed on X's instance A, summarised there, sent through Redis to X's instance B.
    await until(() => own.has(sessionId), 5000, "the summary on X's supervisor board on B");
    // Two board flushes more: anything relayed to Y would have arrived by now.
    await sleep(600);
    expect(other.has(sessionId)).toBe(false);
    expect(other.size).toBe(0);
  });

  it("runs on a Redis user allowed only its own deployment's channels (`&vigil:<id>*`)", async () => {
    // What README advises an operator sharing a Redis server: one ACL user per deployment.
    const db = await createTestDatabase();
    const admin = createClient({ url: REDIS_URL });
    await admin.connect();
    const user = `vigil_t_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    const apps: TestApp[] = [];
    try {
      // The id exists once the migrations ran: the operator creates the user before the APIs start.
      await migrateDatabase(db.url);
      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      const { rows } = await pg.query<{ id: string }>(`SELECT id FROM deployment`);
      await pg.end();
      const id = rows[0].id;
      await admin.sendCommand([
        'ACL',
        'SETUSER',
        user,
        'on',
        `>${password}`,
        'resetkeys',
        'resetchannels',
        `&vigil:${id}*`,
        '-@all',
        '+@pubsub',
        '+ping',
      ]);
      const url = new URL(REDIS_URL ?? '');
      url.username = user;
      url.password = password;
      const env = { REDIS_URL: url.toString() };
      const a = await createTestApp({ databaseUrl: db.url, env });
      apps.push(a);
      const b = await createTestApp({ databaseUrl: db.url, env });
      apps.push(b);
      // Both see their own echo: every channel they use is within the pattern.
      await until(
        () => [a, b].every((t) => !t.app.get(CrossInstanceStatus).isDegraded()),
        10_000,
        'both instances ok on Redis',
      );
      const { sessionId, supervisor, phone } = await monitored(a);
      const board = sessionsOn(await sockets.open(b.url, supervisor, { board: 'batch' }));
      expect((await submitCheckIn(phone, sessionId, `acl-${Date.now()}`)).ok).toBe(true);
      await until(() => board.has(sessionId), 5000, "the summary on B's supervisor board");
    } finally {
      for (const t of apps.reverse()) await t.close();
      await admin.sendCommand(['ACL', 'DELUSER', user]);
      await admin.quit();
      await db.drop();
    }
  });
});
