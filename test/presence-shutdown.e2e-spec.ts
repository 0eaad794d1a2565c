import { Client } from 'pg';
import type { ManualClock } from '../apps/api/src/common/clock';
import { AlertEngineService } from '../apps/api/src/modules/alerts/alert-engine.service';
import { PresenceService } from '../apps/api/src/modules/presence/presence.service';
import { makeSession, makeUser } from './support/factories';
import { sleep } from './support/live-client';
import { createTestApp, createTestDatabase } from './support/test-app';

/**
 * The presence sweep runs every 2 s on its own timer. app.close() (the end of a SIGTERM) stops
 * the timer, then releases the pool's connections: a sweep in progress must be let finish first.
 */
describe('presence sweep during shutdown', () => {
  it('finishes the sweep in progress before the pool closes: the silence is recorded, not cut off', async () => {
    const db = await createTestDatabase();
    const t = await createTestApp({ databaseUrl: db.url });
    const other = new Client({ connectionString: db.url });
    await other.connect();
    let closing: Promise<void> | null = null;
    try {
      const patient = await makeUser(t.dataSource, 'patient');
      const clinician = await makeUser(t.dataSource, 'clinician');
      const sessionId = await makeSession(t.dataSource, { patient, clinician });
      await t.app.get(PresenceService).heartbeat(sessionId);
      await t.app.get(AlertEngineService).whenIdle();

      // Another transaction holds the event log, so the next timed sweep, having claimed the
      // session and marked it silent, waits to append its presence.changed.
      await other.query('BEGIN');
      await other.query('LOCK TABLE session_events IN SHARE MODE');
      (t.clock as ManualClock).advance(30_000);
      // pg_locks, not pg_stat_activity: that is read once per transaction, and this one is open.
      const waiting = async () =>
        (
          await other.query(
            `SELECT 1 FROM pg_locks
              WHERE relation = 'session_events'::regclass AND NOT granted`,
          )
        ).rows.length > 0;
      for (let waited = 0; !(await waiting()); waited += 20) {
        if (waited > 10_000) throw new Error('no sweep waited for the event log');
        await sleep(20);
      }

      closing = t.app.close();
      // Time for the shutdown to reach the pool: it released the sweep's connection there, and
      // the transaction ended with it when the lock let the sweep go on.
      await sleep(1500);
      await other.query('COMMIT');
      await closing;

      const presence = await other.query(`SELECT device_presence FROM sessions WHERE id = $1`, [
        sessionId,
      ]);
      expect(presence.rows).toEqual([{ device_presence: 'silent' }]);
      const events = await other.query<{ data: { presence: string } }>(
        `SELECT data FROM session_events WHERE session_id = $1 AND type = 'presence.changed'
          ORDER BY seq`,
        [sessionId],
      );
      expect(events.rows.map((e) => e.data.presence)).toEqual(['online', 'silent']);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
      await (closing ?? t.app.close()).catch(() => undefined);
      await db.drop();
    }
  }, 30_000);
});
