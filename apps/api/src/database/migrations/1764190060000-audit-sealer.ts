import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit trail's columns that say what happened; sealing may not change any of them. */
const CONTENT = [
  'at',
  'actor_id',
  'actor_role',
  'action',
  'entity_type',
  'entity_id',
  'patient_id',
  'outcome',
  'source_ip',
  'user_agent',
  'detail',
];
const contentOf = (row: 'NEW' | 'OLD') => CONTENT.map((c) => `${row}.${c}`).join(', ');

/**
 * The audit chain is sealed after commit (issue 15): a transaction inserts its audit rows with
 * no seq and no hashes, and the sealer (modules/audit/audit-sealer.ts) chains the committed rows
 * in one short transaction of its own, so audited transactions no longer queue on the chain
 * head's lock from their insert to their commit.
 *
 * The table stays append-only. The trigger now lets one UPDATE through: a row's seq, prev_hash
 * and hash going from unset to set, with sealed_at and nothing else; a sealed row can never
 * change, an unsealed one only be sealed. The app role may insert only the content columns and
 * update only the seal's.
 */
export class AuditSealer1764190060000 implements MigrationInterface {
  name = 'AuditSealer1764190060000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_events
        ALTER COLUMN seq DROP NOT NULL,
        ALTER COLUMN prev_hash DROP NOT NULL,
        ALTER COLUMN hash DROP NOT NULL,
        ADD COLUMN sealed_at timestamptz,
        ADD CONSTRAINT audit_events_sealed_whole
          CHECK ((seq IS NULL) = (prev_hash IS NULL) AND (seq IS NULL) = (hash IS NULL))`);
    // What the sealer looks for: small, since rows leave it within a second of their commit.
    await q.query(`CREATE INDEX audit_events_unsealed ON audit_events (id) WHERE seq IS NULL`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
           AND OLD.sealed_at IS NULL AND NEW.sealed_at IS NOT NULL
           AND NEW.id = OLD.id
           AND ROW(${contentOf('NEW')}) IS NOT DISTINCT FROM ROW(${contentOf('OLD')}) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_events is append-only';
      END $$`);
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigil_app') THEN
          REVOKE INSERT, UPDATE ON audit_events FROM vigil_app;
          GRANT INSERT (${CONTENT.join(', ')}) ON audit_events TO vigil_app;
          GRANT UPDATE (seq, prev_hash, hash, sealed_at) ON audit_events TO vigil_app;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ n }] = (await q.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE seq IS NULL`,
    )) as Array<{ n: number }>;
    if (n > 0)
      throw new Error(`${n} audit rows are not sealed yet: start the API once to seal them`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
      END $$`);
    await q.query(`DROP INDEX audit_events_unsealed`);
    await q.query(`
      ALTER TABLE audit_events
        DROP CONSTRAINT audit_events_sealed_whole,
        DROP COLUMN sealed_at,
        ALTER COLUMN seq SET NOT NULL,
        ALTER COLUMN prev_hash SET NOT NULL,
        ALTER COLUMN hash SET NOT NULL`);
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigil_app') THEN
          REVOKE INSERT, UPDATE ON audit_events FROM vigil_app;
          GRANT INSERT ON audit_events TO vigil_app;
        END IF;
      END $$`);
  }
}
