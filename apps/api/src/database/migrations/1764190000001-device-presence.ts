import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When the patient's device was last heard from, and whether it is online or silent. */
export class DevicePresence1764190000001 implements MigrationInterface {
  name = 'DevicePresence1764190000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions ADD COLUMN device_last_seen_at timestamptz`);
    await q.query(
      `ALTER TABLE sessions ADD COLUMN device_presence text NOT NULL DEFAULT 'unknown'
         CHECK (device_presence IN ('unknown', 'online', 'silent'))`,
    );
    await q.query(
      `CREATE INDEX sessions_online_devices ON sessions (device_last_seen_at) WHERE device_presence = 'online'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS sessions_online_devices`);
    await q.query(
      `ALTER TABLE sessions DROP COLUMN device_presence, DROP COLUMN device_last_seen_at`,
    );
  }
}
