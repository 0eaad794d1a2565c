import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/request-context';
import { prepared, queryPrepared } from '../../common/prepared-statements';
import { chainHash, NOW_TEXT_SQL, storedDetail, type ChainedContent } from './audit-hash';

export type AuditOutcome = 'success' | 'denied' | 'error';

/**
 * What a caller records: the chain's content (audit-hash.ts) less what the append assigns (seq,
 * at), with the source IP as `ip` and the detail as given (the append stores what jsonb reads).
 */
export type AuditEntry = Omit<ChainedContent, 'seq' | 'at' | 'outcome' | 'sourceIp' | 'detail'> & {
  outcome: AuditOutcome;
  ip: string | null;
  detail?: Record<string, unknown>;
};

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
 * The chain's head as an append reads it: the last seq and hash, and the time the rows appended
 * after it carry. Read `FOR UPDATE`, it stays locked until the transaction ends. The group commit
 * reads it so in the statement that inserts its events (event-store.ts), one round trip fewer.
 */
export const AUDIT_HEAD_SELECT = `SELECT seq, hash, ${NOW_TEXT_SQL} AS now FROM audit_chain_head`;

/** The chain's head, locked: what `appendAfter` continues from. */
export interface AuditHead {
  seq: string;
  hash: string;
  now: string;
}

/** The append's two statements, parsed once per connection (common/prepared-statements.ts). */
const LOCK_HEAD = prepared('vigil_audit_lock_head', `${AUDIT_HEAD_SELECT} FOR UPDATE`);
// One statement writes the rows and moves the head, so they cannot disagree.
const INSERT_ROWS = prepared(
  'vigil_audit_insert_rows',
  `WITH ins AS (
         INSERT INTO audit_events
           (seq, at, actor_id, actor_role, action, entity_type, entity_id, patient_id, outcome,
            source_ip, user_agent, detail, prev_hash, hash)
         SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[],
                              $6::text[], $7::text[], $8::uuid[], $9::text[], $10::text[],
                              $11::text[], $12::jsonb[], $13::text[], $14::text[])
         RETURNING 1)
       UPDATE audit_chain_head SET seq = $15, hash = $16, updated_at = now()`,
);

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
    const [head] = await queryPrepared<AuditHead>(manager, LOCK_HEAD, []);
    await this.appendAfter(manager, head, entries);
  }

  /**
   * Appends after `head`, which this transaction has locked (`AUDIT_HEAD_SELECT ... FOR UPDATE`
   * in one of its statements): the caller read it in a statement of its own.
   */
  async appendAfter(
    manager: EntityManager,
    head: AuditHead | undefined,
    entries: AuditEntry[],
  ): Promise<void> {
    if (!head) throw new Error('audit_chain_head is missing: run the migrations');
    if (entries.length === 0) return;
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
    await queryPrepared(manager, INSERT_ROWS, [
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
    ]);
  }
}
