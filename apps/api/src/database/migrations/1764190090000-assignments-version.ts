import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter that every change to `clinician_assignments` moves, in the changing transaction (a
 * statement-level trigger, so an operator's SQL counts as much as the admin API). The board's
 * flush routes each session's summary to the clinicians assigned to its patient; it read them
 * for every session of every flush, 500 sessions of about 20 assignments four times a second at
 * 2,000 x 20, 15 % of PostgreSQL's statement time (docs/BENCHMARKS.md). Now each instance keeps
 * the assignments it read, with their validity windows (judged at each flush's `now`, so one that
 * starts or ends on its own schedule needs no change here), and reads them again only when this
 * counter has moved: every instance sees every change at its next flush, as before.
 */
export class AssignmentsVersion1764190090000 implements MigrationInterface {
  name = 'AssignmentsVersion1764190090000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE clinician_assignments_version (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        version bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`INSERT INTO clinician_assignments_version DEFAULT VALUES`);
    await q.query(`
      CREATE FUNCTION clinician_assignments_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE clinician_assignments_version SET version = version + 1;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER clinician_assignments_changed
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON clinician_assignments
        FOR EACH STATEMENT EXECUTE FUNCTION clinician_assignments_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER clinician_assignments_changed ON clinician_assignments`);
    await q.query(`DROP FUNCTION clinician_assignments_changed()`);
    await q.query(`DROP TABLE clinician_assignments_version`);
  }
}
