import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/request-context';
import { chainHash, NOW_TEXT_SQL, storedDetail, type ChainedContent } from './audit-hash';

export type AuditOutcome = 'success' | 'denied' | 'error';

export interface AuditEntry {
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  patientId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  detail?: Record<string, unknown>;
}

export function auditFrom(
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'requestId'> & {
    user: { id: string; role: string } | null;
  },
  fields: Pick<AuditEntry, 'action' | 'entityType' | 'entityId' | 'patientId' | 'outcome'> & {
    detail?: Record<string, unknown>;
  },
): AuditEntry {
  return {
    actorId: ctx.user?.id ?? null,
    actorRole: ctx.user?.role ?? null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    ...fields,
    // Ties the audit row to the request's log lines (X-Request-Id).
    ...(ctx.requestId ? { detail: { ...fields.detail, requestId: ctx.requestId } } : {}),
  };
}

const USER_AGENT_MAX = 512;

/**
 * The audit trail is append-only and hash-chained: this service has an insert path and no other,
 * the database refuses UPDATE, DELETE and TRUNCATE on the table, and each row's hash covers its
 * content and the previous row's hash. Callers pass their transaction's manager so the audit row
 * commits with the action it records.
 *
 * Appends are serialised on the single row of `audit_chain_head` (locked until the caller's
 * transaction ends), so seq and prev_hash are linear whatever the concurrency. One lock per
 * transaction, not per row: the group-committed submission batches append all their rows at once.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async append(entries: AuditEntry[], manager?: EntityManager): Promise<void> {
    if (entries.length === 0) return;
    if (manager) return this.appendWithin(manager, entries);
    // A lone audit row still needs its own transaction: the head lock must last until commit.
    await this.dataSource.transaction((m) => this.appendWithin(m, entries));
  }

  private async appendWithin(manager: EntityManager, entries: AuditEntry[]): Promise<void> {
    const [head]: ChainHead[] = await manager.query(LOCK_CHAIN_HEAD_SQL);
    if (!head) throw new Error('audit_chain_head is missing: run the migrations');
    const chained = chainedInsert(head, entries, 1);
    await manager.query(`WITH ${chained.ctes} SELECT 1`, chained.params);
  }
}

/** The chain head as locked for this transaction: `at` of the rows appended after it is `now`. */
export interface ChainHead {
  seq: string;
  hash: string;
  now: string;
}

/**
 * Locks the chain head until the transaction ends. Lock order: it is always the last lock a
 * transaction takes before its appends (after session, engine and alert rows), as everywhere.
 */
export const LOCK_CHAIN_HEAD_SQL = `SELECT seq, hash, ${NOW_TEXT_SQL} AS now FROM audit_chain_head FOR UPDATE`;

/**
 * Chains `entries` after the locked `head` and gives the data-modifying CTEs that insert them and
 * move the head (parameters numbered from `firstParam`), so a caller can fold them into its own
 * statement: the rows and the head are written by one statement and cannot disagree.
 */
export function chainedInsert(
  head: ChainHead,
  entries: AuditEntry[],
  firstParam: number,
): { ctes: string; params: unknown[] } {
  let seq = Number(head.seq);
  let prev = head.hash;
  const rows = entries.map((e) => {
    seq += 1;
    const content: ChainedContent = {
      seq,
      at: head.now,
      actorId: e.actorId?.toLowerCase() ?? null,
      actorRole: e.actorRole,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      patientId: e.patientId?.toLowerCase() ?? null,
      outcome: e.outcome,
      sourceIp: e.ip,
      userAgent: e.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
      detail: storedDetail(e.detail),
    };
    const hash = chainHash(prev, content);
    const row = { content, prevHash: prev, hash };
    prev = hash;
    return row;
  });
  const col = <T>(pick: (c: ChainedContent) => T) => rows.map((r) => pick(r.content));
  const p = (i: number) => `$${firstParam + i}`;
  return {
    ctes: `audit_rows AS (
         INSERT INTO audit_events
           (seq, at, actor_id, actor_role, action, entity_type, entity_id, patient_id, outcome,
            source_ip, user_agent, detail, prev_hash, hash)
         SELECT * FROM unnest(${p(0)}::bigint[], ${p(1)}::timestamptz[], ${p(2)}::uuid[],
                              ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::text[], ${p(6)}::text[],
                              ${p(7)}::uuid[], ${p(8)}::text[], ${p(9)}::text[], ${p(10)}::text[],
                              ${p(11)}::jsonb[], ${p(12)}::text[], ${p(13)}::text[])
         RETURNING 1),
       audit_head AS (
         UPDATE audit_chain_head SET seq = ${p(14)}, hash = ${p(15)}, updated_at = now()
         RETURNING 1)`,
    params: [
      col((c) => c.seq),
      col((c) => c.at),
      col((c) => c.actorId),
      col((c) => c.actorRole),
      col((c) => c.action),
      col((c) => c.entityType),
      col((c) => c.entityId),
      col((c) => c.patientId),
      col((c) => c.outcome),
      col((c) => c.sourceIp),
      col((c) => c.userAgent),
      col((c) => JSON.stringify(c.detail)),
      rows.map((r) => r.prevHash),
      rows.map((r) => r.hash),
      seq,
      prev,
    ],
  };
}
