import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditLogEntry, AuditLogFilters, AuditVerifyResult, Page } from '@vigil/contracts';
import { CLOCK, type Clock } from '../../common/clock';
import type { RequestContext } from '../../common/request-context';
import { AuditService, auditFrom } from './audit.service';
import { verifyAuditChain } from './audit-verify';

interface LogRow {
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  patient_id: string | null;
  outcome: AuditLogEntry['outcome'];
  source_ip: string | null;
  detail: Record<string, unknown>;
  hash: string;
  total: string;
}

function toEntry(row: LogRow): AuditLogEntry {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    actor: row.actor_id ? { id: row.actor_id, role: row.actor_role, name: row.actor_name } : null,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    patientId: row.patient_id,
    outcome: row.outcome,
    sourceIp: row.source_ip,
    detail: row.detail,
    hash: row.hash,
  };
}

/** Where clause of the audit log viewer; LIKE wildcards in an action prefix are escaped. */
function whereOf(f: AuditLogFilters): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(`$${params.length}`));
  };
  if (f.actorId) add((n) => `a.actor_id = ${n}`, f.actorId);
  if (f.patientId) add((n) => `a.patient_id = ${n}`, f.patientId);
  if (f.outcome) add((n) => `a.outcome = ${n}`, f.outcome);
  if (f.from) add((n) => `a.at >= ${n}`, f.from);
  if (f.to) add((n) => `a.at < ${n}`, f.to);
  if (f.action?.endsWith('*')) {
    const prefix = f.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`);
    add((n) => `a.action LIKE ${n}`, `${prefix}%`);
  } else if (f.action) add((n) => `a.action = ${n}`, f.action);
  return { sql: clauses.length ? clauses.join(' AND ') : 'TRUE', params };
}

/** The audit log viewer and the chain's verification; each use is itself audited. */
@Injectable()
export class AuditLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  list(ctx: RequestContext, filters: AuditLogFilters): Promise<Page<AuditLogEntry>> {
    const page = filters.page ?? 1;
    const pageSize = filters.pageSize ?? 50;
    const where = whereOf(filters);
    return this.dataSource.transaction(async (manager) => {
      const rows: LogRow[] = await manager.query(
        `SELECT a.seq, a.at, a.actor_id, a.actor_role, u.name AS actor_name, a.action,
                a.entity_type, a.entity_id, a.patient_id, a.outcome, a.source_ip, a.detail, a.hash,
                count(*) OVER () AS total
           FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
          WHERE ${where.sql}
          ORDER BY a.seq DESC
          LIMIT $${where.params.length + 1} OFFSET $${where.params.length + 2}`,
        [...where.params, pageSize, (page - 1) * pageSize],
      );
      const total = rows[0] ? Number(rows[0].total) : await this.count(where, manager);
      await this.audit.append(
        [
          auditFrom(ctx, {
            action: 'audit.read',
            entityType: 'audit_log',
            entityId: null,
            patientId: filters.patientId ?? null,
            outcome: 'success',
            detail: { filters: { ...filters }, returned: rows.length },
          }),
        ],
        manager,
      );
      return { items: rows.map(toEntry), total, page, pageSize };
    });
  }

  async verify(ctx: RequestContext): Promise<AuditVerifyResult> {
    const result = await this.dataSource.transaction('REPEATABLE READ', (manager) =>
      verifyAuditChain(
        (sql, params) => manager.query(sql, params),
        () => this.clock.now(),
      ),
    );
    await this.audit.append([
      auditFrom(ctx, {
        action: 'audit.verify',
        entityType: 'audit_log',
        entityId: null,
        patientId: null,
        outcome: 'success',
        detail: {
          ok: result.ok,
          checkedRows: result.checkedRows,
          headSeq: result.headSeq,
          firstBroken: result.firstBroken,
        },
      }),
    ]);
    return result;
  }

  /** A page past the end still reports how many rows match. */
  private async count(
    where: { sql: string; params: unknown[] },
    manager: DataSource['manager'],
  ): Promise<number> {
    const rows: Array<{ n: string }> = await manager.query(
      `SELECT count(*) AS n FROM audit_events a WHERE ${where.sql}`,
      where.params,
    );
    return Number(rows[0]?.n ?? 0);
  }
}
