import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login backoff per client address and account (shared by every instance, kept across restarts,
 * cleared by a supervisor), and what refresh-token families need for an absolute lifetime and a
 * short grace for a just-rotated token (two tabs refreshing at once).
 */
export class AuthHardening1764190000010 implements MigrationInterface {
  name = 'AuthHardening1764190000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_throttle (
        account text NOT NULL,
        client text NOT NULL,
        failures integer NOT NULL,
        locked_until timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (account, client)
      )`);
    await q.query(`ALTER TABLE refresh_tokens ADD COLUMN rotated_at timestamptz`);
    await q.query(`ALTER TABLE refresh_tokens ADD COLUMN family_started_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE refresh_tokens DROP COLUMN family_started_at, DROP COLUMN rotated_at`,
    );
    await q.query(`DROP TABLE login_throttle`);
  }
}
