import {
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AlertPriority, AlertSummary, SessionEventBody } from '@vigil/contracts';
import { clampSilence, clearLatched } from '@vigil/clinical';
import { CLOCK, type Clock } from '../../common/clock';
import type { RequestContext } from '../../common/request-context';
import { AuditService, auditFrom } from '../audit/audit.service';
import { EventStore } from '../events/event-store';
import { ProtocolsService } from '../protocols/protocols.service';
import { SessionAccess } from '../sessions/session-access';
import { SessionsService } from '../sessions/sessions.service';
import {
  findAlert,
  listSessionAlerts,
  lockAlert,
  lockEngineState,
  readEngineSession,
  saveEngineState,
  toAlertSummary,
  type AlertRow,
} from './alerts.repository';

/** What one clinician action does to a locked alert row: an event and a row update, or a refusal. */
type Decision =
  { refuse: string } | { noop: true } | { event: SessionEventBody; sql: string; params: unknown[] };

const MS_PER_MINUTE = 60_000;

/** Conditions that stay present until a clinician deals with them (libs/clinical `latch`). */
function isLatched(condition: string): boolean {
  return condition === 'help' || condition === 'phq9_item9' || condition.startsWith('symptom_');
}

/**
 * Clinician work on alerts: acknowledge, resolve, silence (at most 2 minutes), and the audited
 * list. Lock order as in the engine: engine row (resolve only), session row, alert row.
 */
@Injectable()
export class AlertsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: SessionAccess,
    private readonly sessions: SessionsService,
    private readonly store: EventStore,
    private readonly audit: AuditService,
    private readonly protocols: ProtocolsService,
  ) {}

  list(ctx: RequestContext, sessionId: string): Promise<AlertSummary[]> {
    return this.sessions.readVisible(ctx, sessionId, 'session.alerts.read', (_row, manager) =>
      listSessionAlerts(manager, sessionId),
    );
  }

  /** A session's alerts, newest first, in the caller's transaction (the caller checked access). */
  sessionAlerts(manager: EntityManager, sessionId: string): Promise<AlertSummary[]> {
    return listSessionAlerts(manager, sessionId);
  }

  acknowledge(ctx: RequestContext, alertId: string, note?: string): Promise<AlertSummary> {
    return this.act(ctx, alertId, 'alert.acknowledge', false, (alert, now) => {
      if (alert.status === 'resolved') return { refuse: 'status: the alert is already resolved' };
      if (alert.status === 'acknowledged') return { noop: true };
      return {
        event: {
          type: 'alert.acknowledged',
          data: { ...ref(alert), by: ctx.user.id, ...(note ? { note } : {}) },
        },
        sql: `UPDATE alerts SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3,
                     updated_at = $2 WHERE id = $1`,
        params: [alert.id, now, ctx.user.id],
      };
    });
  }

  resolve(ctx: RequestContext, alertId: string, note: string): Promise<AlertSummary> {
    return this.act(ctx, alertId, 'alert.resolve', true, (alert, now) => {
      if (alert.status === 'resolved') return { refuse: 'status: the alert is already resolved' };
      if (alert.condition === 'predose_no_go') {
        // CLINICAL.md v2: it sounds until the clinician decides: clear the dose or abort.
        return {
          refuse:
            'status: a pre-dose no-go ends when a clinician clears the dose (override with a reason) or aborts the session',
        };
      }
      return {
        event: {
          type: 'alert.resolved',
          data: { ...ref(alert), by: ctx.user.id, note, auto: false },
        },
        sql: `UPDATE alerts SET status = 'resolved', resolved_at = $2, resolved_by = $3,
                     resolution_note = $4, updated_at = $2 WHERE id = $1`,
        params: [alert.id, now, ctx.user.id, note],
      };
    });
  }

  silence(ctx: RequestContext, alertId: string, minutes: number): Promise<AlertSummary> {
    return this.act(ctx, alertId, 'alert.silence', false, async (alert, now, manager) => {
      if (alert.status === 'resolved') return { refuse: 'status: the alert is already resolved' };
      const session = await readEngineSession(manager, alert.session_id, false);
      const protocol = session ? await this.protocols.document(session.protocolId, manager) : null;
      if (!protocol) throw new Error(`no protocol for session ${alert.session_id}`);
      const until = clampSilence(now.getTime() + minutes * MS_PER_MINUTE, now, protocol);
      if (!until) throw new Error('silence end could not be computed');
      return {
        event: {
          type: 'alert.silenced',
          data: { ...ref(alert), by: ctx.user.id, minutes, silencedUntil: until },
        },
        sql: `UPDATE alerts SET silenced_until = $2, updated_at = $3 WHERE id = $1`,
        params: [alert.id, until, now],
      };
    });
  }

  private async act(
    ctx: RequestContext,
    alertId: string,
    action: string,
    clearsLatched: boolean,
    decide: (alert: AlertRow, now: Date, manager: EntityManager) => Decision | Promise<Decision>,
  ): Promise<AlertSummary> {
    const found = await findAlert(this.dataSource.manager, alertId);
    const visible = found ? await this.access.findVisible(ctx.user, found.session_id) : null;
    // A refusal names the patient too (as a refused read of her alerts does), or her log misses it.
    const patientId =
      visible?.patient_id ?? (found ? await this.audit.patientOfSession(found.session_id) : null);
    const audit = (outcome: 'success' | 'denied', detail: Record<string, unknown> = {}) =>
      auditFrom(ctx, {
        action,
        entityType: 'alert',
        entityId: alertId,
        patientId,
        outcome,
        detail: { sessionId: found?.session_id ?? null, ...detail },
      });
    if (!found || !visible) {
      await this.audit.append([audit('denied')]);
      throw new NotFoundException('alert: not found');
    }
    if (ctx.user.role === 'patient') {
      await this.audit.append([audit('denied')]);
      throw new ForbiddenException(
        'role: only the assigned clinician or a supervisor may act on alerts',
      );
    }
    const sessionId = found.session_id;
    const now = this.clock.now();
    const result = await this.store.unitOfWork(async ({ manager, append }) => {
      const engine =
        clearsLatched && isLatched(found.condition)
          ? await lockEngineState(manager, sessionId, false)
          : null;
      await readEngineSession(manager, sessionId, true);
      const alert = await lockAlert(manager, alertId);
      if (!alert) return { refuse: 'alert: not found' };
      const decision = await decide(alert, now, manager);
      if ('refuse' in decision) {
        await this.audit.append([audit('denied', { refused: decision.refuse })], manager);
        return decision;
      }
      if ('noop' in decision) {
        await this.audit.append([audit('success', { result: 'unchanged' })], manager);
        return { summary: toAlertSummary(alert), events: [] };
      }
      await append([
        {
          sessionId,
          ...decision.event,
          actorId: ctx.user.id,
          clientId: null,
          bodyHash: null,
          clientTime: null,
          audit: audit('success'),
        },
      ]);
      await manager.query(decision.sql, decision.params);
      // A help request or symptom stays present in the engine until a clinician resolves it. The
      // saved state is what the alerts show (each pass announces its latches), so all of it goes;
      // a press still unprocessed is applied after this and is kept when the pass meets this
      // resolve in the log (clearLatched).
      if (engine && typeof engine === 'object') {
        await saveEngineState(
          manager,
          sessionId,
          clearLatched(engine.state, alert.condition),
          engine.lastSeq,
        );
      }
      const updated = await findAlert(manager, alertId);
      return { summary: toAlertSummary(updated ?? alert) };
    });
    if ('refuse' in result) {
      if (result.refuse.startsWith('alert:')) throw new NotFoundException(result.refuse);
      throw new ConflictException(result.refuse);
    }
    return result.summary;
  }
}

function ref(alert: AlertRow): { alertId: string; condition: string; priority: AlertPriority } {
  return { alertId: alert.id, condition: alert.condition, priority: alert.priority };
}
