import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CHAIN_COLUMNS_SQL, GENESIS_HASH, rowHashV1, type ChainRow } from './frozen/audit-chain-v1';

const BATCH = 2000;

/**
 * Tamper-evident audit: every row gets a seq, the previous row's hash and its own hash over its
 * content and that previous hash (the v1 rule of modules/audit/audit-hash.ts, frozen in
 * ./frozen/audit-chain-v1.ts so that later changes to the live code cannot change this
 * migration). The rows already written are chained here in id order, with the append-only
 * trigger lifted for this transaction only. `audit_chain_head` is the single row every append
 * locks, and the anchor that reveals rows removed from the end.
 *
 * Deployments that run the API as a separate, non-owner role (recommended): create it once,
 * outside migrations (roles are cluster-wide), e.g. `CREATE ROLE vigil_app LOGIN`, grant it
 * ordinary rights on the other tables, and rerun the grants below, which this migration applies
 * when the role already exists. The owner (and any superuser) can still disable triggers, which
 * is what the chain is for: changes made that way are detected by `npm run audit:verify`.
 */
export class AuditChain1764190000003 implements MigrationInterface {
  name = 'AuditChain1764190000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE audit_events ADD COLUMN seq bigint, ADD COLUMN prev_hash text, ADD COLUMN hash text`,
    );
    await q.query(`
      CREATE TABLE audit_chain_head (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        seq bigint NOT NULL CHECK (seq >= 0),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
    let seq = 0;
    let prev = GENESIS_HASH;
    let lastId = '0';
    for (;;) {
      const rows = (await q.query(
        `SELECT ${CHAIN_COLUMNS_SQL} FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2`,
        [lastId, BATCH],
      )) as ChainRow[];
      if (rows.length === 0) break;
      const ids: string[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        seq += 1;
        const hash = rowHashV1(prev, row, seq);
        ids.push(row.id);
        seqs.push(seq);
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
        lastId = row.id;
      }
      await q.query(
        `UPDATE audit_events a SET seq = k.seq, prev_hash = k.prev_hash, hash = k.hash
           FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS k(id, seq, prev_hash, hash)
          WHERE a.id = k.id`,
        [ids, seqs, prevs, hashes],
      );
    }
    await q.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`);

    await q.query(`
      ALTER TABLE audit_events
        ALTER COLUMN seq SET NOT NULL,
        ALTER COLUMN prev_hash SET NOT NULL,
        ALTER COLUMN hash SET NOT NULL,
        ADD CONSTRAINT audit_events_seq_positive CHECK (seq > 0),
        ADD CONSTRAINT audit_events_seq_unique UNIQUE (seq)`);
    await q.query(`CREATE INDEX audit_events_at ON audit_events (at)`);
    await q.query(`CREATE INDEX audit_events_action ON audit_events (action, at)`);
    await q.query(`INSERT INTO audit_chain_head (seq, hash) VALUES ($1, $2)`, [seq, prev]);

    // The head only moves forward and is never removed: a rollback of the chain must be loud.
    await q.query(`
      CREATE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' OR NEW.seq < OLD.seq THEN
          RAISE EXCEPTION 'audit_chain_head only moves forward';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE OR DELETE ON audit_chain_head
      FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only()`);
    await q.query(`
      CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
      FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_forward_only()`);

    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigil_app') THEN
          REVOKE ALL ON audit_events, audit_chain_head FROM vigil_app;
          GRANT SELECT, INSERT ON audit_events TO vigil_app;
          GRANT USAGE ON SEQUENCE audit_events_id_seq TO vigil_app;
          GRANT SELECT, UPDATE ON audit_chain_head TO vigil_app;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_chain_head`);
    await q.query(`DROP FUNCTION IF EXISTS audit_chain_head_forward_only()`);
    await q.query(`DROP INDEX IF EXISTS audit_events_action`);
    await q.query(`DROP INDEX IF EXISTS audit_events_at`);
    await q.query(
      `ALTER TABLE audit_events DROP CONSTRAINT IF EXISTS audit_events_seq_unique,
         DROP CONSTRAINT IF EXISTS audit_events_seq_positive,
         DROP COLUMN IF EXISTS seq, DROP COLUMN IF EXISTS prev_hash, DROP COLUMN IF EXISTS hash`,
    );
  }
}
