import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clinical protocol v2 (CLINICAL.md version 2):
 * - alerts keep their escalation clock apart from the raise (an acknowledged alert whose
 *   priority rises restarts it; a reopened episode keeps it), the reports of a latched condition
 *   (help presses), and whether the engine resolved them (only those reopen as an episode);
 * - the time of a session's last pre-dose no-go (the rest, and clinician-only clearance);
 * - per-patient protocol overrides, bounded and audited, kept with who set and cleared them;
 * - the engine's per-condition tracks change shape, so stored tracks are dropped (they are
 *   rebuilt from the next readings; latched conditions and the event log are untouched).
 */
export class ClinicalV21764190020000 implements MigrationInterface {
  name = 'ClinicalV21764190020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts ADD COLUMN clock_at timestamptz`);
    await q.query(`UPDATE alerts SET clock_at = raised_at`);
    await q.query(`ALTER TABLE alerts ALTER COLUMN clock_at SET NOT NULL`);
    await q.query(
      `ALTER TABLE alerts ADD COLUMN occurrences integer NOT NULL DEFAULT 1 CHECK (occurrences > 0)`,
    );
    await q.query(`ALTER TABLE alerts ADD COLUMN auto_resolved boolean NOT NULL DEFAULT false`);
    await q.query(
      `UPDATE alerts SET auto_resolved = true
        WHERE status = 'resolved' AND resolved_by IS NULL AND resolution_note LIKE 'condition cleared%'`,
    );
    // The engine looks up a condition's recent auto-resolved alert to reopen its episode.
    await q.query(
      `CREATE INDEX alerts_recent_auto_resolved ON alerts (session_id, resolved_at) WHERE auto_resolved`,
    );
    await q.query(
      `UPDATE session_alert_state SET state = jsonb_set(state, '{holds}', '{}'::jsonb)`,
    );
    // When the session's last no-go screening came: the rest before re-measuring counts from it,
    // and from then on only a clinician clears the dose.
    await q.query(`ALTER TABLE session_clinical ADD COLUMN last_no_go_at timestamptz`);
    await q.query(
      `UPDATE session_clinical SET last_no_go_at = updated_at WHERE gate->>'status' = 'no_go'`,
    );
    await q.query(`
      CREATE TABLE patient_protocol_overrides (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid NOT NULL REFERENCES patients(id),
        setting text NOT NULL,
        value double precision NOT NULL,
        reason text NOT NULL CHECK (length(trim(reason)) > 0),
        set_by uuid NOT NULL REFERENCES users(id),
        set_at timestamptz NOT NULL,
        cleared_by uuid REFERENCES users(id),
        cleared_at timestamptz,
        clear_reason text
      )`);
    await q.query(
      `CREATE UNIQUE INDEX patient_protocol_overrides_active
         ON patient_protocol_overrides (patient_id, setting) WHERE cleared_at IS NULL`,
    );
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigil_app') THEN
          GRANT SELECT, INSERT, UPDATE ON patient_protocol_overrides TO vigil_app;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS patient_protocol_overrides`);
    await q.query(`DROP INDEX IF EXISTS alerts_recent_auto_resolved`);
    await q.query(`ALTER TABLE session_clinical DROP COLUMN last_no_go_at`);
    await q.query(`ALTER TABLE alerts DROP COLUMN auto_resolved`);
    await q.query(`ALTER TABLE alerts DROP COLUMN occurrences`);
    await q.query(`ALTER TABLE alerts DROP COLUMN clock_at`);
  }
}
