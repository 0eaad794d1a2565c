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
  type FlowPlan,
  type PlanResult,
  type ScreeningPlan,
} from './session-flow.plans';
import {
  lockSession,
  readClinical,
  resolveOpenAlerts,
  updateSessionState,
  writeClinical,
} from './session-flow.repository';
import { findEventByClientId } from '../events/event-reads';

/**
 * How a request of one kind answers: first from its plan, on a retry from the data of the event
 * the first request appended. A screening answers with its gate, every other move without one,
 * so the types say which answer carries a gate and none needs asserting.
 */
interface Answer<P extends FlowPlan, R extends SessionFlowResult> {
  fresh(base: SessionFlowResult, plan: P): R;
  replay(base: SessionFlowResult, firstData: Record<string, unknown>): R;
}

const MOVE: Answer<FlowPlan, SessionFlowResult> = {
  fresh: (base) => base,
  replay: (base) => base,
};

const SCREENING: Answer<ScreeningPlan, ScreeningResult> = {
  fresh: (base, plan) => ({ ...base, gate: plan.gate }),
  replay: (base, firstData) => {
    // The screening.submitted event stores the gate with the engine's details; answer the
    // contract's part of it, as the first answer did.
    const stored = firstData.gate as ScreeningResult['gate'];
    const { status, reasons, remeasureAfter, clinicianClearanceRequired } = stored;
    const gate: ScreeningResult['gate'] = { status, reasons };
    if (remeasureAfter) gate.remeasureAfter = remeasureAfter;
    if (clinicianClearanceRequired) gate.clinicianClearanceRequired = true;
    return { ...base, gate };
  },
};

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

  screening(
    ctx: RequestContext,
    sessionId: string,
    body: ScreeningSubmission,
  ): Promise<ScreeningResult> {
    return this.run(ctx, sessionId, 'screening', body, SCREENING, (input) =>
      planScreening(input, body),
    );
  }

  dose(ctx: RequestContext, sessionId: string, body: DoseSubmission): Promise<SessionFlowResult> {
    return this.run(ctx, sessionId, 'dose', body, MOVE, (input) => planDose(input, body));
  }

  override(
    ctx: RequestContext,
    sessionId: string,
    body: OverrideSubmission,
  ): Promise<SessionFlowResult> {
    return this.run(ctx, sessionId, 'override', body, MOVE, (input) => planOverride(input, body));
  }

  transition(
    ctx: RequestContext,
    sessionId: string,
    body: TransitionSubmission,
  ): Promise<SessionFlowResult> {
    return this.run(ctx, sessionId, body.action, body, MOVE, (input) =>
      planTransition(input, body.action, body.reason),
    );
  }

  private async run<P extends FlowPlan, R extends SessionFlowResult>(
    ctx: RequestContext,
    sessionId: string,
    kind: string,
    body: { clientId: string },
    answer: Answer<P, R>,
    plan: (input: FlowInput) => PlanResult<P> | Promise<PlanResult<P>>,
  ): Promise<R> {
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
        const base = { seq: prior.seq, duplicate: true, state: session.state };
        return { kind: 'done' as const, outcome: answer.replay(base, prior.data) };
      }
      // Judged as the alert engine judges it: the pinned protocol with the patient's overrides in
      // force (a longer pre-dose rest, a higher SBP limit for the end checklist's "falling").
      const protocol = (
        await this.protocols.forSessions(manager, [
          { sessionId, protocolId: session.protocolId, patientId: visible.patient_id },
        ])
      ).get(sessionId)!;
      const clinical = await readClinical(manager, sessionId);
      const now = this.clock.now();
      const planned = await plan({
        sessionId,
        state: session.state,
        dosedAt: session.dosedAt,
        clinical,
        protocol,
        now,
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
      await updateSessionState(manager, sessionId, to, times, now);
      await writeClinical(manager, sessionId, planned.plan.clinical(first.event.seq));
      const base = { seq: first.event.seq, duplicate: false, state: to };
      return { kind: 'done' as const, outcome: answer.fresh(base, planned.plan) };
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
