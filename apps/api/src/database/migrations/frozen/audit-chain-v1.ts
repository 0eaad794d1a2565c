import { createHash } from 'node:crypto';

/**
 * A frozen copy of the audit chain's hash rule, version 1, as it stood when migration
 * 1764190000003 was written (modules/audit/audit-hash.ts and common/canonical-json.ts then).
 * Copied on purpose, not imported: a migration must hash the rows it chains the same way forever,
 * whatever later happens to the live code (a v2 rule, a refactored canonical form). The unit
 * test next to it pins it to a known hash. Do not edit; a new rule belongs in a new migration.
 * The live audit code imports the v1 row shape, its columns and the genesis hash from here (every
 * stored row is chained under v1); this file imports nothing of the live code.
 */

export const GENESIS_HASH = '0'.repeat(64);

const AT_TEXT_SQL = `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The columns the v1 rule reads, `at` as text with microseconds in UTC. */
export const CHAIN_COLUMNS_SQL = `id, seq, ${AT_TEXT_SQL} AS at_text, actor_id, actor_role, action,
  entity_type, entity_id, patient_id, outcome, source_ip, user_agent, detail, prev_hash, hash`;

export interface ChainRow {
  id: string;
  seq: string;
  at_text: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  patient_id: string | null;
  outcome: string;
  source_ip: string | null;
  user_agent: string | null;
  detail: unknown;
  prev_hash: string | null;
  hash: string | null;
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The v1 hash of one row at chain position `seq`, after `prevHash`. */
export function rowHashV1(prevHash: string, row: ChainRow, seq: number): string {
  const body = canonicalJson({
    v: 1,
    seq,
    at: row.at_text,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    patientId: row.patient_id,
    outcome: row.outcome,
    sourceIp: row.source_ip,
    userAgent: row.user_agent,
    detail: row.detail,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
