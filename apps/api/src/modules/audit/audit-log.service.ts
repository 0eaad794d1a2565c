import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ACCESS_ACTION_PREFIXES,
  ACCESS_ACTION_SUFFIXES,
  ACCESS_ACTIONS,
  SUBMISSION_ACTIONS,
  type AuditLogEntry,
  type AuditLogFilters,
  type AuditVerifyResult,
  type AuditView,
  type Page,
} from '@vigil/contracts';
import { CLOCK, type Clock } from '../../common/clock';
import type { RequestContext } from '../../common/request-context';
import { type AuditTrailEntry, readSessionTrail } from './audit-trail.repository';
import { actionOf } from './audit-hash';
import { AuditService, auditFrom } from './audit.service';
import { verifyAuditChain } from './audit-verify';

/** A session's access trail as the FHIR export reads it (`sessionTrail`). */
export type { AuditTrailEntry };

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
    ...actionOf(row),
    detail: row.detail,
    hash: row.hash,
  };
}

/** LIKE wildcards in a literal part of a pattern are escaped. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The rows of one view (libs/contracts audit-views.ts), as SQL over the action name. */
function viewClause(view: AuditView, bind: (value: unknown) => string): string {
  // Bind only what the clause uses: PostgreSQL cannot type a parameter no clause mentions.
  const submissions = `a.action = ANY(${bind([...SUBMISSION_ACTIONS])}::text[])`;
  if (view === 'submissions') return submissions;
  const patterns = [
    ...ACCESS_ACTION_PREFIXES.map((p) => `${likeEscape(p)}%`),
    ...ACCESS_ACTION_SUFFIXES.map((x) => `%${likeEscape(x)}`),
  ];
  const access = `(a.action LIKE ANY(${bind(patterns)}::text[]) OR a.action = ANY(${bind([...ACCESS_ACTIONS])}::text[]))`;
  if (view === 'access') return `(${access} AND NOT ${submissions})`;
  return `(NOT ${access} AND NOT ${submissions})`;
}

/** Where clause of the audit log viewer. */
export function whereOf(f: AuditLogFilters): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (f.actorId) clauses.push(`a.actor_id = ${bind(f.actorId)}`);
  if (f.patientId) {
    // Rows about the patient, and list reads that showed her (`patientsShown`): both indexed.
    const shown = JSON.stringify([f.patientId.toLowerCase()]);
    clauses.push(
      `(a.patient_id = ${bind(f.patientId)} OR a.detail->'patientIds' @> ${bind(shown)}::jsonb)`,
    );
  }
  if (f.outcome) clauses.push(`a.outcome = ${bind(f.outcome)}`);
  if (f.from) clauses.push(`a.at >= ${bind(f.from)}`);
  if (f.to) clauses.push(`a.at < ${bind(f.to)}`);
  if (f.action?.endsWith('*'))
    clauses.push(`a.action LIKE ${bind(`${likeEscape(f.action.slice(0, -1))}%`)}`);
  else if (f.action) clauses.push(`a.action = ${bind(f.action)}`);
  if (f.view) clauses.push(viewClause(f.view, bind));
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

  /**
   * The access trail of one session (rows naming it as entity or in their detail, and the list
   * reads that showed it), read in the caller's transaction: the FHIR export carries it as
   * AuditEvents.
   */
  sessionTrail(
    manager: EntityManager,
    session: { id: string; patientId: string },
  ): Promise<AuditTrailEntry[]> {
    return readSessionTrail(manager, session);
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
