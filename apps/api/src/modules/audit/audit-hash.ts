import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/canonical-json';
import {
  CHAIN_COLUMNS_SQL,
  GENESIS_HASH,
  type ChainRow,
} from '../../database/migrations/frozen/audit-chain-v1';

/**
 * The chain's hash rule, shared by the writer (AuditService) and the verifier. The migration that
 * chained the rows written before the chain existed keeps its own frozen copy of v1
 * (database/migrations/frozen/audit-chain-v1.ts). Changing anything here breaks every stored
 * hash: a new rule needs a new `v` and a verifier that knows both.
 *
 * Every stored row is chained under v1, so the row as read back for hashing (`ChainRow`, the
 * columns `CHAIN_COLUMNS_SQL` selects, `at` as text with microseconds in UTC as
 * `vigil_audit_append` formats it) and the genesis hash are the frozen v1 rule's, imported rather
 * than copied: they can never change without breaking those rows.
 */
export const CHAIN_VERSION = 1;
export { CHAIN_COLUMNS_SQL, GENESIS_HASH, type ChainRow };

/** What one audit row says, as stored: every column except the surrogate id and the hashes. */
export interface ChainedContent {
  seq: number;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  patientId: string | null;
  outcome: string;
  sourceIp: string | null;
  userAgent: string | null;
  detail: unknown;
}

export function chainHash(prevHash: string, content: ChainedContent): string {
  const body = canonicalJson({ v: CHAIN_VERSION, ...content });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * A row's canonical JSON (what `chainHash` hashes after the previous hash and a newline) in three
 * parts around the two values only the database's append knows: `beforeAt` + `"<at>"` +
 * `beforeSeq` + `<seq>` + `afterSeq`. Keys sort as canonicalJson sorts them (action, actorId,
 * actorRole, at, detail, entityId, entityType, outcome, patientId, seq, sourceIp, userAgent, v);
 * audit-hash.spec.ts checks the parts give canonicalJson's text exactly.
 */
export interface ChainBodyParts {
  beforeAt: string;
  beforeSeq: string;
  afterSeq: string;
}

export function chainBodyParts(content: Omit<ChainedContent, 'seq' | 'at'>): ChainBodyParts {
  const { action, actorId, actorRole, detail, entityId, entityType, outcome, patientId, ...more } =
    content;
  const { sourceIp, userAgent, ...rest } = more;
  // A field added to ChainedContent must find its place in a part, or it would not be hashed.
  rest satisfies Record<string, never>;
  const inner = (value: object) => canonicalJson(value).slice(1, -1);
  return {
    beforeAt: `{${inner({ action, actorId, actorRole })},"at":`,
    beforeSeq: `,${inner({ detail, entityId, entityType, outcome, patientId })},"seq":`,
    afterSeq: `,${inner({ sourceIp, userAgent, v: CHAIN_VERSION })}}`,
  };
}

/**
 * The detail exactly as it will read back from jsonb: JSON.stringify drops undefined, turns
 * Dates into strings and NaN into null, so hashing this value hashes what is stored.
 */
export function storedDetail(detail: Record<string, unknown> | undefined): unknown {
  return JSON.parse(JSON.stringify(detail ?? {})) as unknown;
}

/** The columns that say what was done to what, as the chain and the log viewer both name them. */
type ActionColumns<Outcome extends string> = Pick<
  ChainRow,
  'action' | 'entity_type' | 'entity_id' | 'patient_id' | 'source_ip'
> & { outcome: Outcome };

export function actionOf<Outcome extends string>(row: ActionColumns<Outcome>) {
  return {
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    patientId: row.patient_id,
    outcome: row.outcome,
    sourceIp: row.source_ip,
  };
}

export function contentOf(row: ChainRow, seq: number): ChainedContent {
  return {
    seq,
    at: row.at_text,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    ...actionOf(row),
    userAgent: row.user_agent,
    detail: row.detail,
  };
}
