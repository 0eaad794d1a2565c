import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/request-context';

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
  ctx: Pick<RequestContext, 'ip' | 'userAgent'> & { user: { id: string; role: string } | null },
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
  };
}

/**
 * The audit trail is append-only: this service has an insert path and no other, and the
 * database refuses UPDATE and DELETE on the table. Callers pass their transaction's manager so
 * the audit row commits with the action it records.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async append(entries: AuditEntry[], manager?: EntityManager): Promise<void> {
    if (entries.length === 0) return;
    const runner = manager ?? this.dataSource.manager;
    await runner.query(
      `INSERT INTO audit_events
         (actor_id, actor_role, action, entity_type, entity_id, patient_id, outcome, source_ip, user_agent, detail)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[],
                            $7::text[], $8::text[], $9::text[], $10::jsonb[])`,
      [
        entries.map((e) => e.actorId),
        entries.map((e) => e.actorRole),
        entries.map((e) => e.action),
        entries.map((e) => e.entityType),
        entries.map((e) => e.entityId),
        entries.map((e) => e.patientId),
        entries.map((e) => e.outcome),
        entries.map((e) => e.ip),
        entries.map((e) => e.userAgent?.slice(0, 512) ?? null),
        entries.map((e) => JSON.stringify(e.detail ?? {})),
      ],
    );
  }
}
