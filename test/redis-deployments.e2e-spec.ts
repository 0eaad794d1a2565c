import type { BoardBatch } from '@vigil/contracts';
import { assign, makeSession, makeUser } from './support/factories';
import { sleep, socketPool, submitCheckIn, until, type LiveClient } from './support/live-client';
import { createTestApp, twoInstancesOverRedis, type TestApp } from './support/test-app';

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

  it("carries a session's summary to its own deployment's other instance, never to the other deployment", async () => {
    const ds = clinicX.a.dataSource;
    const patient = await makeUser(ds, 'patient');
    const clinician = await makeUser(ds, 'clinician');
    await assign(ds, clinician, patient);
    const sessionId = await makeSession(ds, { patient, clinician });
    const ownSupervisor = await makeUser(ds, 'supervisor');
    const otherSupervisor = await makeUser(clinicY.dataSource, 'supervisor');

    const own = sessionsOn(await sockets.open(clinicX.b.url, ownSupervisor, { board: 'batch' }));
    const other = sessionsOn(await sockets.open(clinicY.url, otherSupervisor, { board: 'batch' }));
    const phone = await sockets.open(clinicX.a.url, patient);

    const ack = await submitCheckIn(phone, sessionId, `deployments-${Date.now()}`);
    expect(ack.ok).toBe(true);
    // Committed on X's instance A, summarised there, sent through Redis to X's instance B.
    await until(() => own.has(sessionId), 5000, "the summary on X's supervisor board on B");
    // Two board flushes more: anything relayed to Y would have arrived by now.
    await sleep(600);
    expect(other.has(sessionId)).toBe(false);
    expect(other.size).toBe(0);
  });
});
