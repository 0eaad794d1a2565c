import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a session went live (left `scheduled` for screening): a paired device's reading measured
 * before it is not this session's (`devices/reading-window.ts`). Sessions are scheduled days
 * ahead, so `created_at` let a hub's backlog from yesterday into today's session and raise today's
 * alarm. Set by the session flow from now on; for sessions already past it, the time of that
 * transition in their log. A session created live (the demo's, the tests') has none and counts
 * from its creation.
 */
export class SessionLiveSince1764190140000 implements MigrationInterface {
  name = 'SessionLiveSince1764190140000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions ADD COLUMN live_since timestamptz`);
    await q.query(`
      UPDATE sessions s SET live_since = e.at
        FROM (SELECT session_id, min(at) AS at FROM session_events
               WHERE type = 'session.state_changed' AND data->>'from' = 'scheduled'
                 AND data->>'to' <> 'aborted'
               GROUP BY session_id) e
       WHERE e.session_id = s.id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions DROP COLUMN live_since`);
  }
}
