import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A random id for this database, made once when the migration runs: every API instance on this
 * database reads the same one, and no other deployment's database has it. The instances name
 * their Redis channels after it (`realtime/vigil-io.adapter.ts`), so two deployments whose
 * operators point them at one Redis server (two clinics, staging beside production) share
 * nothing through it: before, every deployment used the channel `vigil`, and a supervisor's
 * board received the other deployment's session summaries.
 */
export class DeploymentId1764190100000 implements MigrationInterface {
  name = 'DeploymentId1764190100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deployment (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO deployment DEFAULT VALUES`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE deployment`);
  }
}
