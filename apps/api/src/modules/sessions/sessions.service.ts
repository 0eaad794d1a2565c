import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  LIVE_STATES,
  SESSION_STATES,
  type SessionContacts,
  type SessionEventsResponse,
  type SessionState,
  type SessionSummary,
} from '@vigil/contracts';
import type { RequestContext } from '../../common/request-context';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AuditService, auditFrom, patientsShown } from '../audit/audit.service';
import { EventStore } from '../events/event-store';
import { SessionAccess, toSessionSummary, type SessionRow } from './session-access';
import { readSessionContacts } from './session-contacts.repository';

export const MAX_EVENTS_PAGE = 1000;

function parseStates(state: unknown): readonly SessionState[] | null {
  if (state === undefined || state === '') return null;
  if (typeof state !== 'string') throw new BadRequestException('state: must be given once');
  if (state === 'live') return LIVE_STATES;
  const states = state.split(',');
  for (const s of states) {
    if (!(SESSION_STATES as readonly string[]).includes(s)) {
      throw new BadRequestException(`state: must be live or one of ${SESSION_STATES.join(', ')}`);
    }
  }
  return states as SessionState[];
}

function parseWholeNumber(
  name: string,
  raw: unknown,
  fallback: number,
  [min, max]: [number, number],
): number {
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string') throw new BadRequestException(`${name}: must be given once`);
  if (!/^\d+$/.test(raw))
    throw new BadRequestException(`${name}: must be a whole number >= ${min}`);
  const value = Number(raw);
  if (value < min) throw new BadRequestException(`${name}: must be at least ${min}`);
  if (value > max) throw new BadRequestException(`${name}: must be at most ${max}`);
  return value;
}

/** Reads of sessions and their event logs; each read commits together with its audit row. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: SessionAccess,
    private readonly events: EventStore,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A session as its reader sees it, with who to call at the clinic (v1.2). */
  private summary(row: SessionRow): SessionSummary {
    return { ...toSessionSummary(row), careTeamPhone: this.config.CARE_TEAM_PHONE ?? null };
  }

  list(ctx: RequestContext, state: unknown): Promise<SessionSummary[]> {
    const states = parseStates(state);
    return this.dataSource.transaction(async (manager) => {
      const rows = await this.access.listVisible(ctx.user, states, manager);
      await this.audit.append(
        [
          auditFrom(ctx, {
            action: 'session.list',
            entityType: 'session',
            entityId: null,
            patientId: null,
            outcome: 'success',
            detail: {
              state: state ?? null,
              sessionIds: rows.map((r) => r.id),
              patientIds: patientsShown(rows.map((r) => r.patient_id)),
            },
          }),
        ],
        manager,
      );
      return rows.map((row) => this.summary(row));
    });
  }

  get(ctx: RequestContext, sessionId: string): Promise<SessionSummary> {
    return this.readVisible(ctx, sessionId, 'session.read', (row) =>
      Promise.resolve(this.summary(row)),
    );
  }

  /** Phone numbers are patient data: audited in the read's own transaction, like any other. */
  contacts(ctx: RequestContext, sessionId: string): Promise<SessionContacts> {
    return this.readVisible(ctx, sessionId, 'session.contacts.read', (_row, manager) =>
      readSessionContacts(manager, sessionId),
    );
  }

  readEvents(
    ctx: RequestContext,
    sessionId: string,
    afterRaw: unknown,
    limitRaw: unknown,
  ): Promise<SessionEventsResponse> {
    const after = parseWholeNumber('after', afterRaw, 0, [0, Number.MAX_SAFE_INTEGER]);
    // `limit=0` was read as the default (500 events for a request of none).
    const limit = parseWholeNumber('limit', limitRaw, 500, [1, MAX_EVENTS_PAGE]);
    return this.readVisible(
      ctx,
      sessionId,
      'session.events.read',
      (_row, manager) => this.events.readAfter(sessionId, after, limit, manager),
      { after, limit },
    );
  }

  /** Runs `read` only if the caller may see the session, auditing success or denial. */
  async readVisible<T>(
    ctx: RequestContext,
    sessionId: string,
    action: string,
    read: (
      row: NonNullable<Awaited<ReturnType<SessionAccess['findVisible']>>>,
      manager: import('typeorm').EntityManager,
    ) => Promise<T>,
    detail: Record<string, unknown> = {},
  ): Promise<T> {
    const result = await this.dataSource.transaction(async (manager) => {
      const row = await this.access.findVisible(ctx.user, sessionId, manager);
      if (!row) return { found: false as const };
      const value = await read(row, manager);
      await this.audit.append(
        [
          auditFrom(ctx, {
            action,
            entityType: 'session',
            entityId: sessionId,
            patientId: row.patient_id,
            outcome: 'success',
            detail,
          }),
        ],
        manager,
      );
      return { found: true as const, value };
    });
    if (!result.found) {
      await this.denied(ctx, sessionId, action);
      throw new NotFoundException('session: not found');
    }
    return result.value;
  }

  async denied(ctx: RequestContext, sessionId: string, action: string): Promise<void> {
    await this.audit.append([
      auditFrom(ctx, {
        action,
        entityType: 'session',
        entityId: sessionId,
        patientId: await this.audit.patientOfSession(sessionId),
        outcome: 'denied',
      }),
    ]);
  }
}
