import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clinical engine: the pre-dose screening and overrides of each session, and the alert engine's
 * state per session. Both are projections of the event log, written in the same transaction as
 * the events they summarise, so a restart resumes exactly where the last commit left off.
 */
export class ClinicalEngine1764190000002 implements MigrationInterface {
  name = 'ClinicalEngine1764190000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE session_clinical (
        session_id uuid PRIMARY KEY REFERENCES sessions(id),
        screening jsonb,
        screening_seq bigint,
        gate jsonb,
        pre_dose_override jsonb,
        end_override jsonb,
        dose jsonb,
        end_checklist jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // last_seq: every event up to it has been applied to state, exactly once (row-locked).
    await q.query(`
      CREATE TABLE session_alert_state (
        session_id uuid PRIMARY KEY REFERENCES sessions(id),
        state jsonb NOT NULL,
        last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The watchdog scans open alerts on every tick.
    await q.query(
      `CREATE INDEX alerts_open_by_session ON alerts (session_id) WHERE status <> 'resolved'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS alerts_open_by_session`);
    await q.query(`DROP TABLE IF EXISTS session_alert_state`);
    await q.query(`DROP TABLE IF EXISTS session_clinical`);
  }
}
