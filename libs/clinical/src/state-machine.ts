import type { SessionState } from '@vigil/contracts';
import { evaluateEndChecklist } from './end-checklist';
import { evaluatePreDoseGate, type PreDoseFlag, type PreDoseGateResult } from './pre-dose-gate';
import type { Protocol, ProtocolRoute } from './protocol';
import { hasText, reason, type Reason } from './reasons';
import type { SessionSnapshot } from './session-snapshot';
import type { PreDoseScreening } from './pre-dose-gate';
import { isFiniteNumber, toEpochMs, type Instant } from './time';

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
  | 'route_differs_from_protocol';

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
      return submitScreening(command.screening, protocol);
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

function submitScreening(screening: PreDoseScreening, protocol: Protocol): TransitionResult {
  const gate = evaluatePreDoseGate(screening, protocol);
  if (gate.status === 'incomplete') return { ok: false, reasons: gate.reasons };
  const flags: SessionFlag[] = [...gate.flags];
  if (gate.status === 'no_go') flags.push('predose_no_go');
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
    else reasons.push(...gate.reasons, noGoReason(gate));
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

function noGoReason(gate: PreDoseGateResult): Reason {
  return gate.overridable
    ? reason('override_required', 'Dosing is blocked until a clinician overrides with a reason.')
    : reason('no_support_person', 'No adult support person for the whole session: no dose.');
}

function preDoseOverrideValid(snapshot: SessionSnapshot): boolean {
  const o = snapshot.preDoseOverride;
  return !!o && hasText(o.reason) && hasText(o.by);
}

function signOff(snapshot: SessionSnapshot, now: Instant, protocol: Protocol): TransitionResult {
  const checklist = evaluateEndChecklist(snapshot, now, protocol);
  if (checklist.ready) return allow('ended');
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
      if (gate.status !== 'no_go') {
        reasons.push(reason('override_not_needed', `The pre-dose gate is ${gate.status}.`));
      } else if (!gate.overridable) {
        reasons.push(noGoReason(gate));
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
