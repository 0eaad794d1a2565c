import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Devices paired with a patient (BP cuff, pulse oximeter, hub). The credential is
 * `vgd_<key_id>_<secret>`: `key_id` finds the row, `secret_hash` (argon2id) verifies it. Rotation
 * replaces both, so the old credential is dead at once; revocation is kept, never deleted.
 */
export class Devices1764190010000 implements MigrationInterface {
  name = 'Devices1764190010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE devices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid NOT NULL REFERENCES patients(id),
        kind text NOT NULL CHECK (kind IN ('bp_cuff', 'pulse_oximeter', 'hub')),
        manufacturer text NOT NULL,
        model text NOT NULL,
        serial text NOT NULL,
        key_id text NOT NULL UNIQUE,
        secret_hash text NOT NULL,
        paired_by uuid NOT NULL REFERENCES users(id),
        paired_at timestamptz NOT NULL,
        rotated_at timestamptz,
        rotated_by uuid REFERENCES users(id),
        revoked_at timestamptz,
        revoked_by uuid REFERENCES users(id),
        revoke_reason text,
        last_seen_at timestamptz
      )`);
    await q.query(`CREATE INDEX devices_patient ON devices (patient_id, paired_at DESC)`);
    // One physical device is paired with one patient at a time.
    await q.query(
      `CREATE UNIQUE INDEX devices_one_active_pairing ON devices (kind, manufacturer, model, serial)
         WHERE revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS devices`);
  }
}
