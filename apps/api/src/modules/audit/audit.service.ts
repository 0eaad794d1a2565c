import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/request-context';
import { prepared, queryPrepared } from '../../common/prepared-statements';
import { storedDetail, type ChainedContent } from './audit-hash';

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

// Content only: the row is chained after it commits (AuditSealer); `at` is the insert's clock.
const INSERT_ROWS = prepared(
  'vigil_audit_insert_rows',
  `INSERT INTO audit_events
     (actor_id, actor_role, action, entity_type, entity_id, patient_id, outcome, source_ip,
      user_agent, detail)
   SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[],
                        $7::text[], $8::text[], $9::text[], $10::jsonb[])`,
);

/**
 * The audit trail is append-only and hash-chained: this service has an insert path and no other,
 * the database refuses every change but the seal, and each row's hash covers its content and the
 * previous row's hash. Callers pass their transaction's manager so the audit row commits with the
 * action it records.
 *
 * The insert takes no lock: the chain (seq, prev_hash, hash) is the sealer's, which links the
 * committed rows in one short transaction of its own (audit-sealer.ts), so audited transactions
 * do not queue behind each other's commits on the chain's head (issue 15).
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async append(entries: AuditEntry[], manager?: EntityManager): Promise<void> {
    if (entries.length === 0) return;
    const col = <T>(pick: (e: AuditEntry) => T) => entries.map(pick);
    await queryPrepared(manager ?? this.dataSource.manager, INSERT_ROWS, [
      col((e) => e.actorId?.toLowerCase() ?? null),
      col((e) => e.actorRole),
      col((e) => e.action),
      col((e) => e.entityType),
      col((e) => e.entityId),
      col((e) => e.patientId?.toLowerCase() ?? null),
      col((e) => e.outcome),
      col((e) => e.ip),
      col((e) => e.userAgent?.slice(0, USER_AGENT_MAX) ?? null),
      col((e) => JSON.stringify(storedDetail(e.detail))),
    ]);
  }
}
