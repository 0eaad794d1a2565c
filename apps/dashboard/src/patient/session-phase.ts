import {
  eventsOf,
  type GateReason,
  type PreDoseGateStatus,
  type SessionEvent,
  type SessionState,
  type SessionSummary,
} from '@vigil/contracts';
import { DEFAULT_ORAL_PROTOCOL, durationMs } from '@vigil/clinical';
import { text } from './form-values';
import { refusalInWords } from './refusal-words';
import type { OutboxItem } from '@vigil/outbox';

export interface GateView {
  status: PreDoseGateStatus;
  reasons: GateReason[];
  /** No support person for the whole session: no override can lift it. */
  hardStop: boolean;
  /** After a no-go: measuring again is refused before this time (the protocol's rest). */
  remeasureAfter: string | null;
  /** The session has had a no-go: only the clinician clears the dose, whatever comes next. */
  clearanceRequired: boolean;
}

/**
 * CLINICAL.md v2: re-measure after a 10-minute rest (a protocol setting). The server names the
 * time (`gate.remeasureAfter`); this default only stands in when an answer does not carry it.
 */
export const DEFAULT_PRE_DOSE_REST_MS = durationMs(DEFAULT_ORAL_PROTOCOL.timings.preDoseRest);

export type PatientPhase =
  | { kind: 'none' }
  | { kind: 'screening'; gate: GateView | null; refused: string | null }
  | { kind: 'screening-saved' }
  /** `refused`: the last re-measure was not accepted (e.g. sent before the rest was over). */
  | { kind: 'gate'; gate: GateView; refused: string | null }
  | { kind: 'dose'; gate: GateView | null; overridden: boolean; refused: string | null }
  | { kind: 'monitoring'; state: SessionState; dosedAt: string; route: string; doseSaved: boolean }
  | { kind: 'ended'; endedAt: string | null }
  | { kind: 'aborted'; reason: string | null };

const HARD_STOPS = new Set(['support_person_not_adult', 'support_person_not_present']);

function gateView(raw: unknown, at: string | undefined): GateView | null {
  const gate = raw as
    | {
        status?: PreDoseGateStatus;
        reasons?: GateReason[];
        remeasureAfter?: unknown;
        clinicianClearanceRequired?: unknown;
      }
    | undefined;
  if (!gate?.status) return null;
  const reasons = gate.reasons ?? [];
  const atMs = at ? Date.parse(at) : NaN;
  const rest =
    gate.status === 'no_go' && !Number.isNaN(atMs)
      ? new Date(atMs + DEFAULT_PRE_DOSE_REST_MS).toISOString()
      : null;
  return {
    status: gate.status,
    reasons,
    hardStop: reasons.some((r) => HARD_STOPS.has(r.code)),
    remeasureAfter: text(gate.remeasureAfter) ?? rest,
    clearanceRequired: gate.clinicianClearanceRequired === true || gate.status === 'no_go',
  };
}

function latest<T>(xs: readonly T[], pick: (x: T) => boolean): T | undefined {
  for (let i = xs.length - 1; i >= 0; i--) if (pick(xs[i])) return xs[i];
  return undefined;
}

/** The newest pre-dose gate, from the event log or from our own delivered screening. */
function latestGate(events: readonly SessionEvent[], items: readonly OutboxItem[]) {
  const event = eventsOf(events, 'screening.submitted').at(-1);
  const mine = latest(items, (i) => i.kind === 'screening' && i.status === 'delivered');
  if (mine && (!event || (mine.seq ?? 0) > event.seq))
    return gateView(mine.response?.gate, mine.deliveredAt ?? mine.createdAt);
  return event ? gateView(event.data.gate, event.at) : null;
}

/**
 * CLINICAL.md v2: once a session has had a no-go, only the clinician clears the dose (an
 * override), even after a later "go" reading. Read from every gate the phone knows of, so a
 * lower second reading never opens the dose screen by itself.
 */
function hadNoGo(events: readonly SessionEvent[], items: readonly OutboxItem[]): boolean {
  const noGo = (gate: unknown) => (gate as { status?: unknown } | undefined)?.status === 'no_go';
  return (
    eventsOf(events, 'screening.submitted').some((e) => noGo(e.data.gate)) ||
    items.some((i) => i.kind === 'screening' && noGo(i.response?.gate))
  );
}

/** The session's state: the event log when it is at least as new as the summary. */
export function currentState(session: SessionSummary, events: readonly SessionEvent[]) {
  const change = eventsOf(events, 'session.state_changed').at(-1);
  const last = events.length > 0 ? events[events.length - 1].seq : 0;
  if (change && last >= session.headSeq) {
    return { state: change.data.to, change };
  }
  return { state: session.state, change };
}

/**
 * Which screen the phone shows. Our own unsent actions count: a dose saved on the phone while
 * offline starts the session clock at once, because the patient has taken it either way.
 */
export function patientPhase(
  session: SessionSummary | null,
  events: readonly SessionEvent[],
  allItems: readonly OutboxItem[],
  ui: { retakeScreening: boolean; cautionAccepted: boolean },
): PatientPhase {
  if (!session) return { kind: 'none' };
  const items = allItems.filter((i) => i.sessionId === session.id);
  const { state, change } = currentState(session, events);
  if (state === 'ended') return { kind: 'ended', endedAt: session.endedAt ?? change?.at ?? null };
  if (state === 'aborted') {
    const reason = change?.data.reason;
    return { kind: 'aborted', reason: typeof reason === 'string' ? reason : null };
  }

  const dose = latest(items, (i) => i.kind === 'dose');
  const doseEvent = latest(eventsOf(events, 'session.state_changed'), (e) => !!e.data.dose);
  if (state === 'dosed' || state === 'monitoring' || state === 'recovery') {
    return {
      kind: 'monitoring',
      state,
      dosedAt:
        session.dosedAt ??
        text(doseEvent?.data.dosedAt) ??
        text(dose?.body.takenAt) ??
        doseEvent?.at ??
        new Date().toISOString(),
      route: text(doseEvent?.data.dose?.route) ?? text(dose?.body.route) ?? 'oral',
      doseSaved: false,
    };
  }
  if (dose?.status === 'pending') {
    return {
      kind: 'monitoring',
      state,
      dosedAt: text(dose.body.takenAt) ?? dose.createdAt,
      route: text(dose.body.route) ?? 'oral',
      doseSaved: true,
    };
  }

  const screening = latest(items, (i) => i.kind === 'screening');
  if (screening?.status === 'pending') return { kind: 'screening-saved' };
  const gate = latestGate(events, items);
  const overridden = !!latest(
    events,
    (e) => e.type === 'session.state_changed' && !!e.data.override,
  );
  const refusedScreening =
    screening?.status === 'rejected' ? refusalInWords(screening.lastError) : null;
  if (gate && !overridden && (gate.clearanceRequired || hadNoGo(events, items))) {
    if (ui.retakeScreening) return { kind: 'screening', gate, refused: null };
    return { kind: 'gate', gate: { ...gate, clearanceRequired: true }, refused: refusedScreening };
  }
  if (state === 'ready') {
    if (gate?.status === 'caution' && !ui.cautionAccepted)
      return { kind: 'gate', gate, refused: null };
    const refused = dose?.status === 'rejected' ? refusalInWords(dose.lastError) : null;
    return { kind: 'dose', gate, overridden, refused };
  }
  return { kind: 'screening', gate, refused: refusedScreening };
}

/**
 * Today's session: a live one first, else one scheduled within 12 hours of now, else one that
 * ended in the last 18 hours (the end screen with the no-driving advice), else the nearest
 * scheduled one.
 */
export function pickTodaysSession(list: readonly SessionSummary[], now: number) {
  const live = list.filter((s) =>
    ['screening', 'ready', 'dosed', 'monitoring', 'recovery'].includes(s.state),
  );
  if (live.length > 0) return live[0];
  const scheduled = list
    .filter((s) => s.state === 'scheduled')
    .sort(
      (a, b) =>
        Math.abs(Date.parse(a.scheduledFor ?? '') - now) -
        Math.abs(Date.parse(b.scheduledFor ?? '') - now),
    );
  // A session due today is the next thing to do, even right after another one ended.
  const dueToday = scheduled.find(
    (s) => Math.abs(Date.parse(s.scheduledFor ?? '') - now) < 12 * 3600_000,
  );
  if (dueToday) return dueToday;
  const recent = list.find(
    (s) =>
      (s.state === 'ended' || s.state === 'aborted') &&
      s.endedAt !== null &&
      now - Date.parse(s.endedAt) < 18 * 3600_000,
  );
  if (recent) return recent;
  return scheduled[0] ?? null;
}
