import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The patient's own phone number (issue 12: "who to call"): shown to the clinician as a tel:
 * link beside the support person's, every read audited. Nullable: records before it have none.
 */
export class PatientPhone1764190030000 implements MigrationInterface {
  name = 'PatientPhone1764190030000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE patients ADD COLUMN phone text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE patients DROP COLUMN phone`);
  }
}
