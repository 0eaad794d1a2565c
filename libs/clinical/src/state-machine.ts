import type { SessionState } from '@vigil/contracts';
import { evaluateEndChecklist, UNWAIVABLE_ITEMS } from './end-checklist';
import { evaluatePreDoseGate, noGoBlock, type PreDoseFlag } from './pre-dose-gate';
import { durationMs, type Protocol, type ProtocolRoute } from './protocol';
import { hasText, reason, type Reason } from './reasons';
import type { SessionSnapshot } from './session-snapshot';
import type { PreDoseScreening } from './pre-dose-gate';
import { isFiniteNumber, MS_PER_MINUTE, toEpochMs, toIso, type Instant } from './time';

/**
 * scheduled -> screening -> ready -> dosed -> monitoring -> recovery -> ended, and aborted
 * from any non-terminal state. Guards answer with reasons; nothing here throws.
 */
export interface DoseDetails {
  mg: number;
  route: ProtocolRoute;
  takenAt: Instant;
  lot?: string;
}

export type SessionCommand =
  | { type: 'start_screening' }
  | { type: 'submit_screening'; screening: PreDoseScreening }
  | { type: 'confirm_dose'; dose: DoseDetails }
  | { type: 'start_monitoring' }
  | { type: 'begin_recovery' }
  | { type: 'sign_off' }
  | { type: 'abort'; reason: string }
  | { type: 'override_gate'; reason: string; by: string; gate?: 'pre_dose' | 'end' };

export type SessionCommandType = SessionCommand['type'];

export type SessionFlag =
  | PreDoseFlag
  | 'predose_no_go'
  | 'gate_overridden'
  | 'end_overridden'
  | 'ended_early_override'
  | 'route_differs_from_protocol'
  | 'clinician_clearance_required';

export type TransitionResult =
  { ok: true; to: SessionState; flags: SessionFlag[] } | { ok: false; reasons: Reason[] };

export const TERMINAL_STATES: readonly SessionState[] = ['ended', 'aborted'];

/** The state each command may start from. */
export const COMMAND_FROM: Readonly<Record<SessionCommandType, readonly SessionState[]>> = {
  start_screening: ['scheduled'],
  submit_screening: ['screening', 'ready'],
  confirm_dose: ['ready'],
  start_monitoring: ['dosed'],
  begin_recovery: ['monitoring'],
  sign_off: ['recovery'],
  abort: ['scheduled', 'screening', 'ready', 'dosed', 'monitoring', 'recovery'],
  override_gate: ['screening', 'ready', 'monitoring', 'recovery'],
};

export function transition(
  snapshot: SessionSnapshot,
  command: SessionCommand,
  now: Instant,
  protocol: Protocol,
): TransitionResult {
  const from = snapshot.state;
  if (!COMMAND_FROM[command.type].includes(from)) {
    const closed = TERMINAL_STATES.includes(from);
    return refuse(
      closed ? 'session_closed' : 'invalid_transition',
      closed
        ? `The session is ${from}; nothing more can happen to it.`
        : `Cannot ${command.type.replace(/_/g, ' ')} while the session is ${from}.`,
    );
  }
  switch (command.type) {
    case 'start_screening':
      return allow('screening');
    case 'submit_screening':
      return submitScreening(snapshot, command.screening, now, protocol);
    case 'confirm_dose':
      return confirmDose(snapshot, command.dose, now, protocol);
    case 'start_monitoring':
      return allow('monitoring');
    case 'begin_recovery':
      return allow('recovery');
    case 'sign_off':
      return signOff(snapshot, now, protocol);
    case 'abort':
      return hasText(command.reason)
        ? allow('aborted')
        : refuse('reason_required', 'Say why the session is being aborted.');
    case 'override_gate':
      return overrideGate(snapshot, command, protocol);
  }
}

/** When a patient held at a no-go may measure again (v2: after the protocol's rest), or null. */
export function remeasureAfter(snapshot: SessionSnapshot, protocol: Protocol): string | null {
  const last = toEpochMs(snapshot.lastNoGoAt);
  return last === null ? null : toIso(last + durationMs(protocol.timings.preDoseRest));
}

/**
 * A go or caution screening makes the session ready, unless it has had a no-go: from then on
 * only the clinician clears the dose, even after a later go (v2). A no-go keeps it in
 * screening, flagged, and a new measurement waits for the protocol's rest.
 */
function submitScreening(
  snapshot: SessionSnapshot,
  screening: PreDoseScreening,
  now: Instant,
  protocol: Protocol,
): TransitionResult {
  const after = remeasureAfter(snapshot, protocol);
  const nowMs = toEpochMs(now);
  if (after !== null && nowMs !== null && nowMs < Date.parse(after)) {
    const rest = protocol.timings.preDoseRest.value;
    const wait = Math.ceil((Date.parse(after) - nowMs) / MS_PER_MINUTE);
    return refuse(
      'rest_required',
      `After a no-go, measure again only after a ${rest}-minute rest: ${wait} min to go.`,
    );
  }
  const gate = evaluatePreDoseGate(screening, protocol);
  if (gate.status === 'incomplete') return { ok: false, reasons: gate.reasons };
  const flags: SessionFlag[] = [...gate.flags];
  if (gate.status === 'no_go') return allow('screening', [...flags, 'predose_no_go']);
  if (snapshot.lastNoGoAt) return allow('screening', [...flags, 'clinician_clearance_required']);
  return allow('ready', flags);
}

function confirmDose(
  snapshot: SessionSnapshot,
  dose: DoseDetails,
  now: Instant,
  protocol: Protocol,
): TransitionResult {
  const reasons: Reason[] = [];
  if (!snapshot.screening) {
    return refuse('screening_missing', 'No pre-dose screening has been submitted.');
  }
  const gate = evaluatePreDoseGate(snapshot.screening, protocol);
  const flags: SessionFlag[] = [...gate.flags];
  if (gate.status === 'incomplete') reasons.push(...gate.reasons);
  if (gate.status === 'no_go') {
    const lifted = preDoseOverrideValid(snapshot) && gate.overridable;
    if (lifted) flags.push('gate_overridden');
    else reasons.push(...gate.reasons, noGoBlock(gate));
  } else if (gate.status !== 'incomplete' && snapshot.lastNoGoAt) {
    // v2: once a session has had a no-go, only the clinician clears it for the dose.
    if (preDoseOverrideValid(snapshot)) flags.push('gate_overridden');
    else reasons.push(clearanceReason());
  }
  if (!isFiniteNumber(dose.mg) || dose.mg <= 0) {
    reasons.push(reason('dose_invalid', 'The dose must be a number of milligrams above 0.'));
  }
  const takenMs = toEpochMs(dose.takenAt);
  const nowMs = toEpochMs(now);
  if (takenMs === null || (nowMs !== null && takenMs > nowMs)) {
    reasons.push(reason('dose_time_invalid', 'The time the dose was taken is missing or ahead.'));
  }
  if (reasons.length > 0) return { ok: false, reasons };
  if (dose.route !== protocol.route) flags.push('route_differs_from_protocol');
  return allow('dosed', flags);
}

function clearanceReason(): Reason {
  return reason(
    'clinician_clearance_required',
    'This session had a no-go: only the clinician can clear the dose, with a reason.',
  );
}

function preDoseOverrideValid(snapshot: SessionSnapshot): boolean {
  const o = snapshot.preDoseOverride;
  return !!o && hasText(o.reason) && hasText(o.by);
}

/**
 * v2: no override makes an end before the minimum monitoring time a normal end (an early end is
 * an abort), and none lifts an open breathing concern; an end override may waive the others.
 */
function signOff(snapshot: SessionSnapshot, now: Instant, protocol: Protocol): TransitionResult {
  const checklist = evaluateEndChecklist(snapshot, now, protocol);
  if (checklist.ready) return allow('ended');
  const locked = checklist.items.filter((i) => !i.ok && UNWAIVABLE_ITEMS.includes(i.code));
  if (locked.length > 0) {
    const early = locked.some((i) => i.code === 'min_monitoring');
    return {
      ok: false,
      reasons: [
        ...checklist.reasons,
        early
          ? reason(
              'too_early',
              `An end before ${protocol.timings.minMonitoring.value} minutes is not a normal end: abort the session with a reason instead.`,
            )
          : reason('breathing_concern', 'An open breathing alert blocks "ready to leave".'),
      ],
    };
  }
  const o = snapshot.endOverride;
  if (o && hasText(o.reason) && hasText(o.by)) return allow('ended', ['ended_early_override']);
  return {
    ok: false,
    reasons: [
      ...checklist.reasons,
      reason(
        'override_required',
        'Sign-off needs every item, or a clinician override with a reason.',
      ),
    ],
  };
}

function overrideGate(
  snapshot: SessionSnapshot,
  command: Extract<SessionCommand, { type: 'override_gate' }>,
  protocol: Protocol,
): TransitionResult {
  const reasons: Reason[] = [];
  if (!hasText(command.reason)) {
    reasons.push(reason('reason_required', 'An override needs a written clinical reason.'));
  }
  if (!hasText(command.by)) {
    reasons.push(reason('author_required', 'An override must name the clinician who made it.'));
  }
  const preDosePhase = snapshot.state === 'screening' || snapshot.state === 'ready';
  const gateKind = command.gate ?? (preDosePhase ? 'pre_dose' : 'end');
  if (gateKind === 'pre_dose') {
    if (!preDosePhase) {
      reasons.push(reason('invalid_transition', 'The pre-dose gate is closed once dosed.'));
    } else if (!snapshot.screening) {
      reasons.push(reason('screening_missing', 'No pre-dose screening has been submitted.'));
    } else {
      const gate = evaluatePreDoseGate(snapshot.screening, protocol);
      const clearance = snapshot.lastNoGoAt && (gate.status === 'go' || gate.status === 'caution');
      if (gate.status !== 'no_go' && !clearance) {
        reasons.push(reason('override_not_needed', `The pre-dose gate is ${gate.status}.`));
      } else if (gate.status === 'no_go' && !gate.overridable) {
        reasons.push(noGoBlock(gate));
      }
    }
  } else if (preDosePhase) {
    reasons.push(reason('invalid_transition', 'The end gate applies only after the dose.'));
  }
  if (reasons.length > 0) return { ok: false, reasons };
  return allow(snapshot.state, [gateKind === 'pre_dose' ? 'gate_overridden' : 'end_overridden']);
}

function allow(to: SessionState, flags: SessionFlag[] = []): TransitionResult {
  return { ok: true, to, flags };
}

function refuse(code: string, message: string): TransitionResult {
  return { ok: false, reasons: [reason(code, message)] };
}
