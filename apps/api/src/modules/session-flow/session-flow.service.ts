import {
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type {
  DoseSubmission,
  OverrideSubmission,
  Role,
  ScreeningResult,
  ScreeningSubmission,
  SessionFlowResult,
  TransitionSubmission,
} from '@vigil/contracts';
import { bodyHash } from '../../common/canonical-json';
import { CLOCK, type Clock } from '../../common/clock';
import type { RequestContext } from '../../common/request-context';
import { AuditService, auditFrom } from '../audit/audit.service';
import { EventStore, type AppendRequest } from '../events/event-store';
import { ProtocolsService } from '../protocols/protocols.service';
import { SessionAccess } from '../sessions/session-access';
import { SessionsService } from '../sessions/sessions.service';
import {
  planDose,
  planOverride,
  planScreening,
  planTransition,
  type FlowInput,
  type PlanResult,
} from './session-flow.plans';
import {
  lockSession,
  readClinical,
  resolveOpenAlerts,
  updateSessionState,
  writeClinical,
} from './session-flow.repository';
import { findEventByClientId } from '../events/event-reads';

type FlowOutcome = SessionFlowResult & { gate?: ScreeningResult['gate'] };

/** Who may do what, once they can see the session at all (a clinician only if assigned now). */
const ALLOWED: Record<string, readonly Role[]> = {
  screening: ['patient', 'clinician'],
  dose: ['patient', 'clinician'],
  override: ['clinician', 'supervisor'],
  start_screening: ['patient', 'clinician'],
  start_monitoring: ['patient', 'clinician'],
  begin_recovery: ['clinician'],
  sign_off: ['clinician'],
  abort: ['patient', 'clinician', 'supervisor'],
};

const WHO: Record<string, string> = {
  override: 'only the assigned clinician or a supervisor may override a gate',
  begin_recovery: 'only the assigned clinician may begin recovery',
  sign_off: 'only the assigned clinician may sign off',
};

/**
 * The session state machine over REST. Each request locks the session row, answers a retry of
 * the same clientId with the first result, asks @vigil/clinical whether the move is allowed, and
 * appends its events, its audit row and the new state in one transaction; then announces.
 */
@Injectable()
export class SessionFlowService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: SessionAccess,
    private readonly sessions: SessionsService,
    private readonly store: EventStore,
    private readonly audit: AuditService,
    private readonly protocols: ProtocolsService,
  ) {}

  screening(ctx: RequestContext, sessionId: string, body: ScreeningSubmission) {
    return this.run(ctx, sessionId, 'screening', body, (input) => planScreening(input, body));
  }

  dose(ctx: RequestContext, sessionId: string, body: DoseSubmission) {
    return this.run(ctx, sessionId, 'dose', body, (input) => planDose(input, body));
  }

  override(ctx: RequestContext, sessionId: string, body: OverrideSubmission) {
    return this.run(ctx, sessionId, 'override', body, (input) => planOverride(input, body));
  }

  transition(ctx: RequestContext, sessionId: string, body: TransitionSubmission) {
    return this.run(ctx, sessionId, body.action, body, (input) =>
      planTransition(input, body.action, body.reason),
    );
  }

  private async run(
    ctx: RequestContext,
    sessionId: string,
    kind: string,
    body: { clientId: string },
    plan: (input: FlowInput) => PlanResult | Promise<PlanResult>,
  ): Promise<FlowOutcome> {
    const action = `session.${kind}`;
    const visible = await this.access.findVisible(ctx.user, sessionId);
    if (!visible) {
      await this.sessions.denied(ctx, sessionId, action);
      throw new NotFoundException('session: not found');
    }
    if (!ALLOWED[kind].includes(ctx.user.role)) {
      await this.sessions.denied(ctx, sessionId, action);
      throw new ForbiddenException(`role: ${WHO[kind] ?? `a ${ctx.user.role} may not do this`}`);
    }
    const { clientId, ...rest } = body;
    const hash = bodyHash({ action, body: rest });
    const audit = (outcome: 'success' | 'denied', detail: Record<string, unknown>) =>
      auditFrom(ctx, {
        action,
        entityType: 'session',
        entityId: sessionId,
        patientId: visible.patient_id,
        outcome,
        detail: { clientId, ...detail },
      });

    // Persist, then announce: watchers and the alert engine see only committed events.
    const result = await this.store.unitOfWork(async ({ manager, append }) => {
      const session = await lockSession(manager, sessionId);
      if (!session) return { kind: 'not_found' as const };
      const prior = await findEventByClientId(manager, sessionId, clientId);
      if (prior) {
        if (prior.bodyHash !== hash) return { kind: 'conflict' as const, seq: prior.seq };
        await this.audit.append(
          [audit('success', { result: 'duplicate', seq: prior.seq })],
          manager,
        );
        const gate = prior.data.gate as ScreeningResult['gate'] | undefined;
        const outcome: FlowOutcome = { seq: prior.seq, duplicate: true, state: session.state };
        if (gate) {
          const { status, reasons, remeasureAfter, clinicianClearanceRequired } = gate;
          outcome.gate = { status, reasons };
          if (remeasureAfter) outcome.gate.remeasureAfter = remeasureAfter;
          if (clinicianClearanceRequired) outcome.gate.clinicianClearanceRequired = true;
        }
        return { kind: 'done' as const, outcome, events: [] };
      }
      const protocol = await this.protocols.document(session.protocolId, manager);
      if (!protocol) throw new Error(`session ${sessionId} is pinned to a missing protocol`);
      const clinical = await readClinical(manager, sessionId);
      const planned = await plan({
        sessionId,
        state: session.state,
        dosedAt: session.dosedAt,
        clinical,
        protocol,
        now: this.clock.now(),
        userId: ctx.user.id,
        manager,
      });
      if (!planned.ok) {
        await this.audit.append([audit('denied', { refused: planned.reasons })], manager);
        return { kind: 'refused' as const, from: session.state, reasons: planned.reasons };
      }
      const { events, to, times } = planned.plan;
      const requests: AppendRequest[] = events.map((e, i) => ({
        sessionId,
        ...e,
        actorId: ctx.user.id,
        clientId: i === 0 ? clientId : null,
        bodyHash: i === 0 ? hash : null,
        clientTime: null,
        audit: i === 0 ? audit('success', { from: session.state, to }) : null,
      }));
      const resolving = planned.plan.resolveAlerts;
      if (resolving) {
        requests.push(
          ...(
            await resolveOpenAlerts(manager, sessionId, resolving, ctx.user.id, this.clock.now())
          ).map((r) => ({
            ...r,
            audit: audit('success', { alertId: r.data.alertId, reason: resolving }),
          })),
        );
      }
      const outcomes = await append(requests);
      const first = outcomes[0];
      if (first?.status !== 'appended') throw new Error('flow event was not appended');
      await updateSessionState(manager, sessionId, to, times);
      await writeClinical(manager, sessionId, planned.plan.clinical(first.event.seq));
      const outcome: FlowOutcome = { seq: first.event.seq, duplicate: false, state: to };
      if (planned.plan.gate) outcome.gate = planned.plan.gate;
      return { kind: 'done' as const, outcome };
    });

    switch (result.kind) {
      case 'not_found':
        throw new NotFoundException('session: not found');
      case 'conflict':
        throw new ConflictException(
          `clientId: already used for a different request (seq ${result.seq})`,
        );
      case 'refused':
        throw new ConflictException(
          `state: ${result.reasons.map((r) => r.message).join(' ')} (session is ${result.from})`,
        );
      case 'done':
        return result.outcome;
    }
  }
}
