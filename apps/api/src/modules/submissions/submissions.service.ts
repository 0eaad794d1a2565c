import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  outboxWaitMs,
  withOutboxWaits,
  type CheckInSubmission,
  type HelpSubmission,
  type MessageSubmission,
  type NoteSubmission,
  type Role,
  type SessionEventBody,
  type SessionEventType,
  type SubmissionResult,
  type VitalsSubmission,
} from '@vigil/contracts';
import { bodyHash } from '../../common/canonical-json';
import { CLOCK, MAX_PHONE_CLOCK_AHEAD_MS, type Clock } from '../../common/clock';
import type { RequestContext } from '../../common/request-context';
import { auditFrom } from '../audit/audit.service';
import type { AppendOutcome } from '../events/event-store';
import { SubmissionQueue } from '../events/submission-queue';
import { SessionAccess } from '../sessions/session-access';
import { SessionsService } from '../sessions/sessions.service';

/**
 * Audit action and who may submit each kind; a role that may see but not submit gets 403.
 * `liveOnly`: the patient's submissions of this kind are refused (409 `state`) outside a live
 * session: once a session has ended or been aborted (or before it starts) nobody watches it and
 * the alert engine judges nothing, so a help press or a check-in's symptoms stored there would be
 * acknowledged as sent while nobody is told. The phone then says it did not go through, with the
 * number to call. The care team's own entries (notes, messages, check-ins on the patient's
 * behalf) stay open for the record.
 */
const KINDS: Partial<
  Record<SessionEventType, { action: string; roles: readonly Role[]; liveOnly: boolean }>
> = {
  'checkin.recorded': { action: 'checkin.submit', roles: ['patient', 'clinician'], liveOnly: true },
  // Vitals come at up to 1 Hz from every phone: a state read for each doubled the hot path's
  // cost (issue 15's bench: 1,753 -> 1,206 commits/s). Stored after the end they raise nothing
  // (the engine judges only live sessions) and the phone stops sending them at the end.
  'vitals.recorded': { action: 'vitals.submit', roles: ['patient', 'clinician'], liveOnly: false },
  'help.requested': { action: 'help.request', roles: ['patient', 'clinician'], liveOnly: true },
  // A clinical note is the care team's; supervisors may annotate a session they review.
  'note.added': { action: 'note.add', roles: ['clinician', 'supervisor'], liveOnly: false },
  // Messages go between the patient (or support person) and the assigned clinicians.
  'message.sent': { action: 'message.send', roles: ['patient', 'clinician'], liveOnly: true },
};

/**
 * What a patient's phone (or a clinician on their behalf) submits: check-ins, vitals, help;
 * and the care team's notes and the messages between patient and clinicians.
 * The same path serves REST and the socket. A submission is acknowledged only once the group
 * transaction holding it has committed; a retry with the same client id gets the first seq.
 * A refusal is thrown (400 invalid, 403, 404, 409, 503 busy): the HTTP filter answers REST with
 * it, the gateway turns it into the socket ack's code (`refusalAck`).
 */
@Injectable()
export class SubmissionsService {
  constructor(
    private readonly access: SessionAccess,
    private readonly queue: SubmissionQueue,
    private readonly sessions: SessionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async checkIn(
    ctx: RequestContext,
    sessionId: string,
    body: CheckInSubmission,
  ): Promise<SubmissionResult> {
    this.refuseFuture([
      ['takenAt', body.takenAt],
      ['sentAt', body.sentAt],
    ]);
    const { clientId, sentAt, ...data } = body;
    const waitedMs = outboxWaitMs(data.takenAt, sentAt);
    const stored = waitedMs === null ? data : { ...data, waitedMs };
    const event = { type: 'checkin.recorded' as const, data: stored };
    // A retry sends a later sentAt: the check-in it repeats is compared without the wait.
    const hashed = { type: event.type, data };
    return await this.submit(ctx, sessionId, event, clientId, body.takenAt ?? null, hashed);
  }

  async vitals(
    ctx: RequestContext,
    sessionId: string,
    body: VitalsSubmission,
  ): Promise<SubmissionResult> {
    this.refuseFuture([
      ...body.readings.map((r, i): [string, string] => [`readings[${i}].measuredAt`, r.measuredAt]),
      ['sentAt', body.sentAt],
    ]);
    const { clientId, sentAt, ...data } = body;
    const readings = withOutboxWaits(data.readings, sentAt);
    const event = { type: 'vitals.recorded' as const, data: { ...data, readings } };
    // As a check-in's (v1.10): a retry sends a later sentAt, and is compared without the waits.
    const hashed = { type: event.type, data };
    return await this.submit(ctx, sessionId, event, clientId, null, hashed);
  }

  help(ctx: RequestContext, sessionId: string, body: HelpSubmission): Promise<SubmissionResult> {
    const { clientId, ...data } = body;
    return this.submit(ctx, sessionId, { type: 'help.requested', data }, clientId, null);
  }

  note(ctx: RequestContext, sessionId: string, body: NoteSubmission): Promise<SubmissionResult> {
    const event = { type: 'note.added' as const, data: { text: body.text } };
    return this.submit(ctx, sessionId, event, body.clientId, null);
  }

  message(
    ctx: RequestContext,
    sessionId: string,
    body: MessageSubmission,
  ): Promise<SubmissionResult> {
    const data = { text: body.text, fromRole: ctx.user.role, fromName: ctx.user.name };
    return this.submit(ctx, sessionId, { type: 'message.sent', data }, body.clientId, null);
  }

  /** A time from the phone more than a day ahead of ours is refused, naming it (clock.ts). */
  private refuseFuture(times: Array<[string, string | undefined]>): void {
    const now = this.clock.now().getTime();
    for (const [field, time] of times) {
      if (time !== undefined && Date.parse(time) > now + MAX_PHONE_CLOCK_AHEAD_MS)
        throw new BadRequestException(
          `${field}: ${time} is more than a day ahead of the server clock (${new Date(now).toISOString()}): check the phone's date and time`,
        );
    }
  }

  private async submit(
    ctx: RequestContext,
    sessionId: string,
    event: SessionEventBody,
    clientId: string,
    clientTime: string | null,
    hashed: { type: SessionEventType; data: unknown } = event,
  ): Promise<SubmissionResult> {
    const { type } = event;
    const kind = KINDS[type];
    if (!kind) throw new Error(`${type} is not a submission`);
    const { action } = kind;
    const session = await this.access.findSubmittable(ctx.user, sessionId);
    if (!session) {
      await this.sessions.denied(ctx, sessionId, action);
      throw new NotFoundException('session: not found');
    }
    if (!kind.roles.includes(ctx.user.role)) {
      await this.sessions.denied(ctx, sessionId, action);
      throw new ForbiddenException(`role: a ${ctx.user.role} may not do ${action} on this session`);
    }
    const outcome = await this.queue.submit({
      sessionId,
      ...event,
      actorId: ctx.user.id,
      clientId,
      // Judged under the session's lock, where the append is (a help press racing an abort).
      liveOnly: kind.liveOnly && ctx.user.role === 'patient',
      bodyHash: bodyHash({ type: hashed.type, data: hashed.data }),
      clientTime: clientTime ? new Date(clientTime) : null,
      audit: auditFrom(ctx, {
        action,
        entityType: 'session',
        entityId: sessionId,
        patientId: session.patient_id,
        outcome: 'success',
        detail: { clientId },
      }),
    });
    return submittedOf(outcome, type);
  }
}

/**
 * The answer to a submission from what the event store did with it (REST, socket, devices): the
 * seq, or the refusal thrown.
 */
export function submittedOf(outcome: AppendOutcome, type?: SessionEventType): SubmissionResult {
  switch (outcome.status) {
    case 'appended':
      return { seq: outcome.event.seq, duplicate: false };
    case 'duplicate':
      return { seq: outcome.seq, duplicate: true };
    case 'conflict':
      throw new ConflictException(
        `clientId: already used for a different submission (seq ${outcome.seq})`,
      );
    case 'not_live':
      // Unless its clientId was stored while live: that retry is a duplicate (the phone would
      // otherwise say a delivered help press did not go through). Audited as denied.
      throw new ConflictException(
        type === 'help.requested'
          ? `state: the session is ${outcome.state} and nobody is watching it; call your care team, or emergency services`
          : `state: the session is ${outcome.state}; nothing more can be sent to it`,
      );
    case 'not_found':
      throw new NotFoundException('session: not found');
  }
}
