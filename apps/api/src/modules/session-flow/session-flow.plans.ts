import type {
  DoseSubmission,
  OverrideSubmission,
  ScreeningSubmission,
  SessionEventBody,
  SessionState,
  TransitionAction,
} from '@vigil/contracts';
import {
  COMMAND_FROM,
  evaluateEndChecklist,
  evaluatePreDoseGate,
  noGoBlock,
  reason,
  remeasureAfter,
  transition,
  type PreDoseGateStatus,
  type PreDoseScreening,
  type Protocol,
  type Reason,
  type SessionCommand,
  type SessionSnapshot,
} from '@vigil/clinical';
import { MAX_CLOCK_AHEAD_MS } from '../../common/clock';
import type { EntityManager } from 'typeorm';
import {
  readEndObservations,
  type ClinicalRecord,
  type StoredOverride,
} from './session-flow.repository';

/**
 * Turns one request into the events it appends and the projections it updates, by asking the
 * pure state machine in @vigil/clinical. Runs under the session's row lock, so `state` is final.
 */
export interface FlowInput {
  sessionId: string;
  state: SessionState;
  dosedAt: Date | null;
  clinical: ClinicalRecord;
  protocol: Protocol;
  now: Date;
  userId: string;
  manager: EntityManager;
}

export interface FlowPlan {
  /** The first event carries the request's clientId; its seq is the answer. */
  events: SessionEventBody[];
  to: SessionState;
  times: { dosedAt?: Date; endedAt?: Date };
  /** The projection after the events, given the seq of the first one. */
  clinical: (firstSeq: number) => ClinicalRecord;
  /** v2: the session ends: its open alerts are resolved with this reason, in the same commit. */
  resolveAlerts?: 'session ended' | 'session aborted';
}

export interface ScreeningGate {
  status: PreDoseGateStatus;
  reasons: Reason[];
  /** After a no-go: the patient may measure again only from then (the protocol's rest). */
  remeasureAfter?: string;
  /** The session has had a no-go: only the clinician clears the dose. */
  clinicianClearanceRequired?: boolean;
}

/** A screening's plan carries the gate it answers with; a dose, override or transition has none. */
export interface ScreeningPlan extends FlowPlan {
  gate: ScreeningGate;
}

export type PlanResult<P extends FlowPlan = FlowPlan> =
  { ok: true; plan: P } | { ok: false; reasons: Reason[] };

const stateChanged = (
  from: SessionState,
  to: SessionState,
  extra: Record<string, unknown> = {},
) => ({
  type: 'session.state_changed' as const,
  data: { from, to, ...extra },
});

export function snapshotOf(input: FlowInput): SessionSnapshot {
  const { clinical } = input;
  const override = clinical.preDoseOverride;
  return {
    state: input.state,
    screening: clinical.screening,
    dosedAt: input.dosedAt,
    // An override lifts the gate of the screening it was made for, never a later one.
    preDoseOverride: override && override.screeningSeq === clinical.screeningSeq ? override : null,
    endOverride: clinical.endOverride,
    lastNoGoAt: clinical.lastNoGoAt?.toISOString() ?? null,
  };
}

/**
 * A screening asks the pure state machine where the session goes (CLINICAL.md v2): a go or
 * caution makes it ready; a no-go keeps it in screening with a medium alert (raised by the
 * engine from this event) and a rest before the next measurement; once it has had a no-go, only
 * a clinician override clears the dose, even after a later go.
 */
export function planScreening(
  input: FlowInput,
  body: ScreeningSubmission,
): PlanResult<ScreeningPlan> {
  const { note } = body;
  const screening: PreDoseScreening = {
    sbp: body.sbp,
    dbp: body.dbp,
    hr: body.hr,
    spo2: body.spo2,
    supportPerson: body.supportPerson,
    fasting: body.fasting,
    noRecentSubstances: body.noRecentSubstances,
    concomitantBpRaisingMeds: body.concomitantBpRaisingMeds,
    phq9: body.phq9,
    gad7: body.gad7,
    moaasBaseline: body.moaasBaseline,
  };
  const steps: Array<ReturnType<typeof stateChanged>> = [];
  let state = input.state;
  if (state === 'scheduled') {
    steps.push(stateChanged('scheduled', 'screening', { reason: 'pre-dose screening submitted' }));
    state = 'screening';
  }
  const result = transition(
    { ...snapshotOf(input), state },
    { type: 'submit_screening', screening },
    input.now,
    input.protocol,
  );
  if (!result.ok) {
    // An incomplete screening is still an answer: the gate says what is missing.
    const gate = evaluatePreDoseGate(screening, input.protocol);
    const restRefusal = result.reasons.some((r) => r.code === 'rest_required');
    if (restRefusal || !COMMAND_FROM.submit_screening.includes(state)) return result;
    return planGateAnswer(input, screening, note, steps, state, state, gate, false);
  }
  const gate = evaluatePreDoseGate(screening, input.protocol);
  const clearance = result.flags.includes('clinician_clearance_required');
  return planGateAnswer(input, screening, note, steps, state, result.to, gate, clearance);
}

function planGateAnswer(
  input: FlowInput,
  screening: PreDoseScreening,
  note: string | undefined,
  steps: Array<ReturnType<typeof stateChanged>>,
  from: SessionState,
  to: SessionState,
  gate: ReturnType<typeof evaluatePreDoseGate>,
  clearance: boolean,
): PlanResult<ScreeningPlan> {
  if (to !== from) {
    steps.push(
      stateChanged(from, to, { reason: `pre-dose gate ${gate.status}`, gate: gate.status }),
    );
  }
  const noGo = gate.status === 'no_go';
  const lastNoGoAt = noGo ? input.now : input.clinical.lastNoGoAt;
  const after = remeasureAfter(
    { state: to, lastNoGoAt: lastNoGoAt?.toISOString() },
    input.protocol,
  );
  const answer: ScreeningGate = { status: gate.status, reasons: gate.reasons };
  if (noGo && after) answer.remeasureAfter = after;
  if (clearance) answer.clinicianClearanceRequired = true;
  const gateData = {
    status: gate.status,
    reasons: gate.reasons,
    flags: gate.flags,
    overridable: gate.overridable,
    phq9Total: gate.phq9Total,
    gad7Total: gate.gad7Total,
    ...(answer.remeasureAfter ? { remeasureAfter: answer.remeasureAfter } : {}),
    ...(clearance ? { clinicianClearanceRequired: true as const } : {}),
  };
  return {
    ok: true,
    plan: {
      events: [
        { type: 'screening.submitted', data: { ...screening, note, gate: gateData } },
        ...steps,
      ],
      to,
      times: {},
      clinical: (firstSeq) => ({
        ...input.clinical,
        screening,
        screeningSeq: firstSeq,
        gate,
        preDoseOverride: null,
        lastNoGoAt,
      }),
      gate: answer,
    },
  };
}

/**
 * A dose time up to MAX_CLOCK_AHEAD_MS ahead of the server clock is the phone's clock running a
 * little ahead (as for a check-in's `takenAt`), taken as now: refused, the dose the patient has
 * already swallowed could not be recorded at all (the outbox drops a final refusal). Further
 * ahead, the clinical rule refuses it. Only the stored time is clamped: the body as sent is what
 * a retry is compared with.
 */
function withinSkew(takenAt: string, now: Date): string {
  const ahead = Date.parse(takenAt) - now.getTime();
  return ahead > 0 && ahead <= MAX_CLOCK_AHEAD_MS ? now.toISOString() : takenAt;
}

export function planDose(input: FlowInput, body: DoseSubmission): PlanResult {
  const gate = input.clinical.gate;
  if (input.state === 'screening' && gate?.status === 'no_go') {
    // Say why the session is not ready, not merely that it is in screening.
    return { ok: false, reasons: [...gate.reasons, noGoBlock(gate)] };
  }
  if (input.state === 'screening' && input.clinical.lastNoGoAt) {
    return {
      ok: false,
      reasons: [
        reason(
          'clinician_clearance_required',
          'This session had a no-go: only the clinician can clear the dose, with a reason.',
        ),
      ],
    };
  }
  const dose = {
    mg: body.doseMg,
    route: body.route,
    takenAt: withinSkew(body.takenAt, input.now),
    lot: body.lot,
  };
  const result = transition(
    snapshotOf(input),
    { type: 'confirm_dose', dose },
    input.now,
    input.protocol,
  );
  if (!result.ok) return result;
  return {
    ok: true,
    plan: {
      events: [
        stateChanged(input.state, result.to, { dosedAt: dose.takenAt, dose, flags: result.flags }),
      ],
      to: result.to,
      times: { dosedAt: new Date(dose.takenAt) },
      clinical: (seq) => ({ ...input.clinical, dose: { ...dose, seq } }),
    },
  };
}

export function planOverride(input: FlowInput, body: OverrideSubmission): PlanResult {
  const result = transition(
    snapshotOf(input),
    { type: 'override_gate', reason: body.reason, by: input.userId, gate: body.gate },
    input.now,
    input.protocol,
  );
  if (!result.ok) return result;
  const override: StoredOverride = {
    reason: body.reason,
    by: input.userId,
    at: input.now.toISOString(),
    screeningSeq: body.gate === 'pre_dose' ? input.clinical.screeningSeq : null,
  };
  // Lifting the pre-dose gate is what lets a no-go session (kept in screening) become ready.
  const to: SessionState =
    body.gate === 'pre_dose' && input.state === 'screening' ? 'ready' : result.to;
  return {
    ok: true,
    plan: {
      events: [
        stateChanged(input.state, to, {
          reason: body.reason,
          gate: body.gate,
          override,
          flags: result.flags,
        }),
      ],
      to,
      times: {},
      clinical: () =>
        body.gate === 'pre_dose'
          ? { ...input.clinical, preDoseOverride: override }
          : { ...input.clinical, endOverride: override },
    },
  };
}

export async function planTransition(
  input: FlowInput,
  action: TransitionAction,
  why: string | undefined,
): Promise<PlanResult> {
  const command: SessionCommand =
    action === 'abort' ? { type: 'abort', reason: why ?? '' } : { type: action };
  let snapshot = snapshotOf(input);
  if (action === 'sign_off') {
    const observations = await readEndObservations(
      input.manager,
      input.sessionId,
      input.clinical.dose?.seq ?? 0,
    );
    snapshot = { ...snapshot, ...observations };
  }
  const result = transition(snapshot, command, input.now, input.protocol);
  if (!result.ok) return result;
  const extra: Record<string, unknown> = { flags: result.flags };
  if (why?.trim()) extra.reason = why.trim();
  let endChecklist: Record<string, unknown> | null = input.clinical.endChecklist;
  if (action === 'sign_off') {
    const checklist = evaluateEndChecklist(snapshot, input.now, input.protocol);
    endChecklist = {
      items: checklist.items,
      minutesSinceDose: checklist.minutesSinceDose,
      readyToLeaveMinutes: checklist.readyToLeaveMinutes,
    };
    Object.assign(extra, endChecklist);
  }
  const ends = result.to === 'ended' || result.to === 'aborted';
  return {
    ok: true,
    plan: {
      events: [stateChanged(input.state, result.to, extra)],
      to: result.to,
      times: ends ? { endedAt: input.now } : {},
      clinical: () => ({ ...input.clinical, endChecklist }),
      ...(ends
        ? { resolveAlerts: result.to === 'ended' ? 'session ended' : 'session aborted' }
        : {}),
    },
  };
}
