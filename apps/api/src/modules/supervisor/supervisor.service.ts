import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type {
  AccountWithHistory,
  AlertFigures,
  AlertFiguresFilters,
  Page,
  RemsReport,
  SessionHistoryFilters,
  SessionHistoryItem,
} from '@vigil/contracts';
import { CLOCK, type Clock } from '../../common/clock';
import type { RequestContext } from '../../common/request-context';
import { AuditService, auditFrom, patientsShown } from '../audit/audit.service';
import { ProtocolsService } from '../protocols/protocols.service';
import { sessionTimes } from '../sessions/session-access';
import { SessionsService } from '../sessions/sessions.service';
import { listAccounts } from './accounts.repository';
import { alertFigures } from './alert-figures.repository';
import { searchSessions } from './history.repository';
import { remsCsv } from './rems-csv';
import { buildRemsReport, outcomeOf } from './rems-report';
import { readAllEvents } from '../events/event-reads';
import { UsersService } from '../accounts/users.service';
import { alertCounts } from './session-record.repository';

const DAY = 86_400_000;
const DEFAULT_FIGURES_DAYS = 30;

export type ReportFormat = 'json' | 'csv';

/** Supervisor reads: each runs in one transaction with its audit row. */
@Injectable()
export class SupervisorService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    private readonly protocols: ProtocolsService,
    private readonly users: UsersService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  history(ctx: RequestContext, f: SessionHistoryFilters): Promise<Page<SessionHistoryItem>> {
    return this.audited(ctx, 'supervisor.sessions.search', f.patientId ?? null, async (m) => {
      const page = f.page ?? 1;
      const pageSize = f.pageSize ?? 25;
      const { items, total } = await searchSessions(m, f, this.clock.now());
      return {
        value: { items, total, page, pageSize },
        detail: {
          filters: { ...f },
          sessionIds: items.map((i) => i.id),
          patientIds: patientsShown(items.map((i) => i.patient.id)),
        },
      };
    });
  }

  figures(ctx: RequestContext, f: AlertFiguresFilters): Promise<AlertFigures> {
    const now = this.clock.now();
    const to = f.to ? new Date(f.to) : now;
    const from = f.from ? new Date(f.from) : new Date(to.getTime() - DEFAULT_FIGURES_DAYS * DAY);
    return this.audited(ctx, 'supervisor.alert_figures.read', null, async (m) => ({
      value: await alertFigures(m, from, to, now),
      detail: { from: from.toISOString(), to: to.toISOString() },
    }));
  }

  accounts(ctx: RequestContext): Promise<AccountWithHistory[]> {
    return this.audited(ctx, 'supervisor.accounts.read', null, async (m) => {
      const accounts = await listAccounts(m);
      // A directory of names and care teams: found by each patient in it, as a list read is.
      const patientIds = patientsShown(accounts.map((a) => a.patientId));
      return { value: accounts, detail: { returned: accounts.length, patientIds } };
    });
  }

  report(
    ctx: RequestContext,
    sessionId: string,
    format: ReportFormat,
  ): Promise<RemsReport | string> {
    return this.sessions.readVisible(
      ctx,
      sessionId,
      'supervisor.report.read',
      async (row, manager) => {
        const events = await readAllEvents(manager, sessionId);
        const protocol = await this.protocols.document(row.protocol_id, manager);
        if (!protocol) throw new Error(`session ${sessionId} is pinned to a missing protocol`);
        // Whose names the report gives: who overrode a gate, and who aborted.
        const actors = events.flatMap((e) => {
          if (e.type !== 'session.state_changed') return [];
          const by = e.data.to === 'aborted' ? e.actorId : e.data.override?.by;
          return by ? [by] : [];
        });
        const report = buildRemsReport({
          session: {
            id: row.id,
            patient: { id: row.patient_id, name: row.patient_name },
            clinician: { id: row.clinician_id, name: row.clinician_name },
            protocol: { name: row.protocol_name, version: row.protocol_version },
            state: row.state,
            outcome: outcomeOf(row.state),
            ...sessionTimes(row),
          },
          events,
          alerts: await alertCounts(manager, sessionId),
          protocol,
          overrides: await this.protocols.overrideSpans(manager, row.patient_id, [
            'spo2Low',
            'rrLow',
          ]),
          names: await this.users.names(manager, actors),
          now: this.clock.now(),
        });
        return format === 'csv' ? remsCsv([report]) : report;
      },
      { format },
    );
  }

  private async audited<T>(
    ctx: RequestContext,
    action: string,
    patientId: string | null,
    read: (manager: EntityManager) => Promise<{ value: T; detail: Record<string, unknown> }>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const { value, detail } = await read(manager);
      await this.audit.append(
        [
          auditFrom(ctx, {
            action,
            entityType: 'supervisor',
            entityId: null,
            patientId,
            outcome: 'success',
            detail,
          }),
        ],
        manager,
      );
      return value;
    });
  }
}
