import type { BoardBatch, BoardSummary } from '@vigil/contracts';
import type { ManualClock } from '../apps/api/src/common/clock';
import { alertsOf, flow, settle } from './support/clinical';
import { assign, login, makeSession, makeUser } from './support/factories';
import { socketPool, until } from './support/live-client';
import { createTestApp, createTestDatabase, type TestApp } from './support/test-app';

describe('board after a restart', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let t: TestApp | null = null;
  const sockets = socketPool();

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
    await database.drop();
  });

  it("a session's first summary after a restart still shows its open alert, readings, check-in and unanswered message", async () => {
    t = await createTestApp({ databaseUrl: database.url });
    const ds = t.dataSource;
    const patient = await makeUser(ds, 'patient');
    const clinician = await makeUser(ds, 'clinician');
    await assign(ds, clinician, patient);
    const sessionId = await makeSession(ds, {
      patient,
      clinician,
      state: 'monitoring',
      dosedAt: (t.clock as ManualClock).now(),
    });
    const token = (await login(t.url, patient)).accessToken;
    const phone = () => flow(t!, token, sessionId);
    expect((await phone().checkIn({ moaas: 5, nausea: 1 })).status).toBe(201);
    const vitals = (readings: Array<[string, number]>) =>
      phone().vitals((t!.clock as ManualClock).now(), readings);
    expect(
      (
        await vitals([
          ['heart_rate', 72],
          ['spo2', 97],
        ])
      ).status,
    ).toBe(201);
    expect((await phone().help()).status).toBe(201);
    const wrote = await phone().post('messages', { clientId: 'm-before', text: 'Feeling odd' });
    expect(wrote.status).toBe(201);
    await settle(t);
    expect((await alertsOf(ds, sessionId)).filter((a) => a.status !== 'resolved')).toHaveLength(1);
    await t.close();
    t = null;

    t = await createTestApp({ databaseUrl: database.url });
    const seen: BoardSummary[] = [];
    const board = await sockets.open(t.url, clinician, { board: 'batch' });
    board.on('board.batch', (b: BoardBatch) => seen.push(...b.summaries));
    // The phone's next routine reading, the first event of the session this instance commits;
    // the SpO2 shown is the one stored before the restart.
    expect((await vitals([['heart_rate', 74]])).status).toBe(201);
    await until(() => seen.length > 0, 3000, 'the first summary after the restart');
    expect(seen[0]).toMatchObject({
      sessionId,
      openAlertPriority: 'high',
      latestVitals: { heart_rate: { value: 74 }, spo2: { value: 97 } },
    });
    expect(seen[0].lastCheckInAt).not.toBeNull();
    // v1.11: the patient's message nobody has answered yet, from the database too.
    expect(seen[0].patientMessageAt).toEqual(expect.any(String));
  });
});
