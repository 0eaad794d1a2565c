import type { Client } from 'pg';
import {
  CHAIN_COLUMNS_SQL,
  chainHash,
  contentOf,
  GENESIS_HASH,
  type ChainRow,
} from '../../apps/api/src/modules/audit/audit-hash';

/**
 * Ways to change the audit trail behind the application's back, as the database superuser with
 * the append-only trigger disabled. Each one really changes something (never a no-op rewrite).
 */
export const TAMPER_KINDS = [
  'edit',
  'edit_and_rehash',
  'delete',
  'delete_and_renumber',
  'truncate_tail',
  'swap_seq',
  'swap_content',
  'insert_forged',
  'append_forged',
] as const;
export type TamperKind = (typeof TAMPER_KINDS)[number];

/** Column edits that always change the stored value. */
const EDITS: Record<string, string> = {
  action: `action = action || '.x'`,
  actor_id: `actor_id = CASE WHEN actor_id IS NULL THEN gen_random_uuid() ELSE NULL END`,
  actor_role: `actor_role = coalesce(actor_role, '') || 'x'`,
  entity_type: `entity_type = entity_type || 'x'`,
  entity_id: `entity_id = coalesce(entity_id, '') || 'x'`,
  patient_id: `patient_id = CASE WHEN patient_id IS NULL THEN gen_random_uuid() ELSE NULL END`,
  outcome: `outcome = CASE outcome WHEN 'success' THEN 'denied' ELSE 'success' END`,
  source_ip: `source_ip = coalesce(source_ip, '') || '1'`,
  user_agent: `user_agent = coalesce(user_agent, '') || ' x'`,
  detail: `detail = detail || '{"tampered": true}'::jsonb`,
  at: `at = at + interval '1 microsecond'`,
  prev_hash: `prev_hash = CASE WHEN left(prev_hash, 1) = '0' THEN '1' ELSE '0' END || substr(prev_hash, 2)`,
  hash: `hash = CASE WHEN left(hash, 1) = '0' THEN '1' ELSE '0' END || substr(hash, 2)`,
  seq: `seq = seq + 1000000`,
};
const CONTENT_EDITS = Object.keys(EDITS).filter((k) => !['prev_hash', 'hash', 'seq'].includes(k));
const CONTENT_COLUMNS =
  'actor_id, actor_role, action, entity_type, entity_id, patient_id, outcome, source_ip, user_agent, detail, at';

/** Deterministic PRNG (mulberry32), so a failing trial can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function row(db: Client, seq: number): Promise<ChainRow> {
  const { rows } = await db.query<ChainRow>(
    `SELECT ${CHAIN_COLUMNS_SQL} FROM audit_events WHERE seq = $1`,
    [seq],
  );
  return rows[0];
}

async function hashOf(db: Client, seq: number): Promise<string> {
  return seq < 1 ? GENESIS_HASH : ((await row(db, seq)).hash ?? '');
}

/** Inserts a well-formed forged row at `seq` linking to `prev`, hashed as the app would. */
async function forge(db: Client, seq: number, prev: string, template: ChainRow): Promise<void> {
  const forged: ChainRow = { ...template, action: 'session.read', detail: { forged: true } };
  const hash = chainHash(prev, contentOf(forged, seq));
  await db.query(
    `INSERT INTO audit_events (seq, at, actor_id, actor_role, action, entity_type, entity_id,
       patient_id, outcome, source_ip, user_agent, detail, prev_hash, hash)
     VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      seq,
      forged.at_text,
      forged.actor_id,
      forged.actor_role,
      forged.action,
      forged.entity_type,
      forged.entity_id,
      forged.patient_id,
      forged.outcome,
      forged.source_ip,
      forged.user_agent,
      JSON.stringify(forged.detail),
      prev,
      hash,
    ],
  );
}

/** Applies one random tamper of `kind` to a chain of `n` rows; returns what it did. */
export async function tamper(
  db: Client,
  kind: TamperKind,
  n: number,
  random: () => number,
): Promise<string> {
  const pick = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const k = pick(1, n);
  switch (kind) {
    case 'edit': {
      const column = Object.keys(EDITS)[pick(0, Object.keys(EDITS).length - 1)];
      await db.query(`UPDATE audit_events SET ${EDITS[column]} WHERE seq = $1`, [k]);
      return `edit ${column} of ${k}`;
    }
    case 'edit_and_rehash': {
      const column = CONTENT_EDITS[pick(0, CONTENT_EDITS.length - 1)];
      await db.query(`UPDATE audit_events SET ${EDITS[column]} WHERE seq = $1`, [k]);
      const edited = await row(db, k);
      const rehashed = chainHash(edited.prev_hash ?? '', contentOf(edited, k));
      await db.query(`UPDATE audit_events SET hash = $2 WHERE seq = $1`, [k, rehashed]);
      return `edit ${column} of ${k} and recompute its hash`;
    }
    case 'delete':
      await db.query(`DELETE FROM audit_events WHERE seq = $1`, [k]);
      return `delete ${k}`;
    case 'delete_and_renumber':
      await db.query(`DELETE FROM audit_events WHERE seq = $1`, [k]);
      await db.query(`UPDATE audit_events SET seq = seq + 1000000 WHERE seq > $1`, [k]);
      await db.query(`UPDATE audit_events SET seq = seq - 1000001 WHERE seq > 1000000`);
      return `delete ${k} and close the gap`;
    case 'truncate_tail': {
      const from = pick(1, n);
      await db.query(`DELETE FROM audit_events WHERE seq >= $1`, [from]);
      return `delete ${from}..${n}`;
    }
    case 'swap_seq': {
      const j = pick(1, n);
      const other = j === k ? (k === n ? 1 : k + 1) : j;
      await db.query(`UPDATE audit_events SET seq = 2000000 WHERE seq = $1`, [k]);
      await db.query(`UPDATE audit_events SET seq = $1 WHERE seq = $2`, [k, other]);
      await db.query(`UPDATE audit_events SET seq = $1 WHERE seq = 2000000`, [other]);
      return `swap ${k} and ${other}`;
    }
    case 'swap_content': {
      // Two rows whose content differs (rows of one batch can be identical but for seq).
      for (let attempt = 0; attempt < 50; attempt++) {
        const j = pick(1, n);
        const { rows } = await db.query<{ same: boolean }>(
          `SELECT (a.${CONTENT_COLUMNS.split(', ').join(', a.')}) IS NOT DISTINCT FROM
                  (b.${CONTENT_COLUMNS.split(', ').join(', b.')}) AS same
             FROM audit_events a, audit_events b WHERE a.seq = $1 AND b.seq = $2`,
          [k, j],
        );
        if (j === k || rows[0]?.same) continue;
        await db.query(
          `UPDATE audit_events a SET (${CONTENT_COLUMNS}) =
             (SELECT ${CONTENT_COLUMNS} FROM audit_events b
               WHERE b.seq = CASE WHEN a.seq = $1 THEN $2::bigint ELSE $1::bigint END)
            WHERE a.seq IN ($1, $2)`,
          [k, j],
        );
        return `swap the content of ${k} and ${j}`;
      }
      await db.query(`UPDATE audit_events SET ${EDITS.detail} WHERE seq = $1`, [k]);
      return `edit detail of ${k}`;
    }
    case 'insert_forged': {
      const template = await row(db, k);
      await db.query(`UPDATE audit_events SET seq = seq + 1000000 WHERE seq >= $1`, [k]);
      await db.query(`UPDATE audit_events SET seq = seq - 999999 WHERE seq > 1000000`);
      await forge(db, k, await hashOf(db, k - 1), template);
      return `insert a forged row at ${k}`;
    }
    case 'append_forged': {
      await forge(db, n + 1, await hashOf(db, n), await row(db, k));
      return `append a forged row at ${n + 1}`;
    }
  }
}
