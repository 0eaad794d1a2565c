import type { QueryRunner } from 'typeorm';
import { AlertEngineService } from '../apps/api/src/modules/alerts/alert-engine.service';
import { ClinicalWatchdogService } from '../apps/api/src/modules/alerts/clinical-watchdog.service';
import { EventStore, type AppendRequest } from '../apps/api/src/modules/events/event-store';
import { readingRequest } from './support/append-requests';
import { engineProgress } from './support/clinical';
import { patientWithSessions, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The watchdog catches up committed events that no engine processed (an instance that died
 * between commit and processing), but leaves to this instance's engine the sessions it has
 * queued: under load that is most live sessions at any moment, and the watchdog took them all,
 * doing each pass twice (docs/BENCHMARKS.md).
 */
describe('watchdog and the engine queue', () => {
  let t: TestApp;
  let store: EventStore;
  let watchdog: ClinicalWatchdogService;
  let patient: TestUser;
  let sessionId: string;
  let holder: QueryRunner | null = null;

  beforeAll(async () => {
    t = await createTestApp();
    store = t.app.get(EventStore);
    watchdog = t.app.get(ClinicalWatchdogService);
    let sessions: string[];
    ({ patient, sessions } = await patientWithSessions(t.dataSource, 1));
    [sessionId] = sessions;
    // The engine's row exists from a first pass.
    await store.append([reading('first')]);
    await t.app.get(AlertEngineService).whenIdle();
    expect((await engine()).lastSeq).toBe(1);
  });
  afterEach(async () => {
    await holder?.rollbackTransaction();
    await holder?.release();
    holder = null;
  });
  afterAll(() => t.close());

  const reading = (clientId: string): AppendRequest =>
    readingRequest(patient, sessionId, clientId, 'heart_rate', 80);
  const engine = () => engineProgress(t, sessionId);

  it('leaves a session the engine has queued to the engine, which processes it', async () => {
    // Another transaction holds the engine's row: the engine's pass waits on it, queued.
    holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM session_alert_state WHERE session_id = $1 FOR UPDATE`, [
      sessionId,
    ]);
    await store.append([reading(`queued-${Date.now()}`)]);
    const before = await engine();
    expect(before.lastSeq).toBeLessThan(before.head);
    expect(t.app.get(AlertEngineService).isQueued(sessionId)).toBe(true);

    // Not due, so not even tried (before, it was tried and skipped as locked).
    const result = await watchdog.tick();
    expect(result).toMatchObject({ processed: 0, skipped: 0 });

    await holder.rollbackTransaction();
    await holder.release();
    holder = null;
    await t.app.get(AlertEngineService).whenIdle();
    expect(await engine()).toEqual({ lastSeq: before.head, head: before.head });
  });

  it('catches up events committed while no engine listened (a crash between commit and pass)', async () => {
    await t.app.get(AlertEngineService).onModuleDestroy();
    await store.append([reading(`unheard-${Date.now()}`)]);
    const before = await engine();
    expect(before.lastSeq).toBeLessThan(before.head);
    expect(t.app.get(AlertEngineService).isQueued(sessionId)).toBe(false);

    const result = await watchdog.tick();
    expect(result.processed).toBeGreaterThanOrEqual(1);
    expect(await engine()).toEqual({ lastSeq: before.head, head: before.head });
  });
});
