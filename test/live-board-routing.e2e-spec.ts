import type { BoardBatch } from '@vigil/contracts';
import type { ManualClock } from '../apps/api/src/common/clock';
import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { sleep, socketPool, submitCheckIn, until, type LiveClient } from './support/live-client';
import { createTestApp, twoInstancesOverRedis, type TestApp } from './support/test-app';

const REDIS_URL = process.env.REDIS_URL;

/** The sessions a board socket has been sent summaries of, counted per session. */
function boardOf(socket: LiveClient) {
  const summaries = new Map<string, number>();
  socket.on('board.batch', (b: BoardBatch) => {
    for (const s of b.summaries) summaries.set(s.sessionId, (summaries.get(s.sessionId) ?? 0) + 1);
  });
  return {
    count: (sessionId: string) => summaries.get(sessionId) ?? 0,
  };
}

/**
 * The board's flush keeps each session's assignments between flushes and reads them again only
 * when `clinician_assignments` has changed (BoardRoutingCache): these check that a change, made
 * through the API, by hand in SQL, on another instance, or by the clock reaching an assignment's
 * end, is followed from the next flush on.
 */
describe("board routing follows the patient's assignments", () => {
  let t: TestApp;
  const sockets = socketPool();

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** A patient's monitored session, its phone, and the board of its assigned clinician. */
  async function clinic(url: string, ds = t.dataSource) {
    const patient = await makeUser(ds, 'patient');
    const assigned = await makeUser(ds, 'clinician');
    const newcomer = await makeUser(ds, 'clinician');
    const boss = await makeUser(ds, 'supervisor');
    await assign(ds, assigned, patient);
    const sessionId = await makeSession(ds, { patient, clinician: assigned });
    const phone = await sockets.open(url, patient);
    return { patient, assigned, newcomer, boss, sessionId, phone };
  }

  /** Submits a check-in, waits until `seen` has its summary, then one flush more. */
  async function checkIn(phone: LiveClient, sessionId: string, seen: () => boolean) {
    expect((await submitCheckIn(phone, sessionId, `route-${Date.now()}-${Math.random()}`)).ok).toBe(
      true,
    );
    await until(seen, 5000, 'the summary on the assigned board');
    await sleep(300);
  }

  const openBoard = async (url: string, user: TestUser) =>
    boardOf(await sockets.open(url, user, { board: 'batch' }));

  it('starts sending to a clinician assigned by hand in SQL and stops at an assignment ended through the API', async () => {
    const c = await clinic(t.url);
    const assigned = await openBoard(t.url, c.assigned);
    const newcomer = await openBoard(t.url, c.newcomer);

    await checkIn(c.phone, c.sessionId, () => assigned.count(c.sessionId) >= 1);
    expect(newcomer.count(c.sessionId)).toBe(0);

    // An INSERT no API call announces: the trigger's version tells the next flush.
    const assignmentId = await assign(t.dataSource, c.newcomer, c.patient);
    await checkIn(c.phone, c.sessionId, () => newcomer.count(c.sessionId) >= 1);
    const before = assigned.count(c.sessionId);
    expect(before).toBeGreaterThanOrEqual(2);

    const bossToken = (await login(t.url, c.boss)).accessToken;
    const ended = await http(t.url, 'POST', `/api/admin/assignments/${assignmentId}/end`, {
      token: bossToken,
    });
    expect(ended.status).toBe(201);
    const sentToNewcomer = newcomer.count(c.sessionId);
    await checkIn(c.phone, c.sessionId, () => assigned.count(c.sessionId) > before);
    expect(newcomer.count(c.sessionId)).toBe(sentToNewcomer);
  });

  it("follows an assignment's own start and end by the clock, with no change to the table", async () => {
    const c = await clinic(t.url);
    const clock = t.clock as ManualClock;
    const now = clock.now().getTime();
    // Starts in a minute and ends a minute after that.
    await assign(
      t.dataSource,
      c.newcomer,
      c.patient,
      new Date(now + 60_000),
      new Date(now + 120_000),
    );
    const assigned = await openBoard(t.url, c.assigned);
    const newcomer = await openBoard(t.url, c.newcomer);

    await checkIn(c.phone, c.sessionId, () => assigned.count(c.sessionId) >= 1);
    expect(newcomer.count(c.sessionId)).toBe(0);

    clock.advance(61_000);
    await checkIn(c.phone, c.sessionId, () => newcomer.count(c.sessionId) >= 1);

    clock.advance(60_000);
    const sent = newcomer.count(c.sessionId);
    const before = assigned.count(c.sessionId);
    await checkIn(c.phone, c.sessionId, () => assigned.count(c.sessionId) > before);
    expect(newcomer.count(c.sessionId)).toBe(sent);
  });

  (REDIS_URL ? describe : describe.skip)('two instances over Redis', () => {
    const apps = twoInstancesOverRedis(REDIS_URL ?? '');

    it('an assignment ended on A stops the summaries that B commits', async () => {
      const c = await clinic(apps.b.url, apps.a.dataSource);
      const assignmentId = await assign(apps.a.dataSource, c.newcomer, c.patient);
      const assigned = await openBoard(apps.b.url, c.assigned);
      const newcomer = await openBoard(apps.b.url, c.newcomer);
      // B's flush reads and keeps the newcomer's assignment.
      await checkIn(c.phone, c.sessionId, () => newcomer.count(c.sessionId) >= 1);

      const bossToken = (await login(apps.a.url, c.boss)).accessToken;
      const ended = await http(apps.a.url, 'POST', `/api/admin/assignments/${assignmentId}/end`, {
        token: bossToken,
      });
      expect(ended.status).toBe(201);
      const sent = newcomer.count(c.sessionId);
      const before = assigned.count(c.sessionId);
      await checkIn(c.phone, c.sessionId, () => assigned.count(c.sessionId) > before);
      expect(newcomer.count(c.sessionId)).toBe(sent);
    });
  });
});
