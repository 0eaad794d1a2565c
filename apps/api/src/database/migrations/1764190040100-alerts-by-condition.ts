import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every engine pass reads each condition's latest alert when a clinician resolved it (only
 * evidence after that resolve raises the condition again). This index answers "is there a later
 * alert of this condition in this session" and finds a session's manually resolved alerts,
 * without scanning every alert ever raised.
 */
export class AlertsByCondition1764190040100 implements MigrationInterface {
  name = 'AlertsByCondition1764190040100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX alerts_by_condition ON alerts (session_id, condition, raised_seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX alerts_by_condition`);
  }
}
