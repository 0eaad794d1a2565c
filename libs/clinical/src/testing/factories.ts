import type { ReadingKind, ReadingSource, SessionState } from '@vigil/contracts';
import { applyEvent, createAlertEngineState } from '../alert-rules';
import type { AlertEngineContext, AlertEngineState, Condition, EngineEvent } from '../alert-types';
import type { PreDoseScreening } from '../pre-dose-gate';
import { DEFAULT_ORAL_PROTOCOL, type Protocol } from '../protocol';
import type { SessionSnapshot } from '../session-snapshot';

/** Test factories with a fixed clock (never the wall clock). Not exported from the library. */
export const T0 = Date.parse('2026-01-01T10:00:00Z');
export const sec = (s: number): number => T0 + s * 1000;
export const min = (m: number): number => T0 + m * 60_000;
export const iso = (ms: number): string => new Date(ms).toISOString();

export function makeScreening(overrides: Partial<PreDoseScreening> = {}): PreDoseScreening {
  return {
    sbp: 120,
    dbp: 80,
    hr: 72,
    spo2: 98,
    supportPerson: { adult: true, presentWholeSession: true, name: 'Sam', phone: '+15550100' },
    fasting: true,
    noRecentSubstances: true,
    concomitantBpRaisingMeds: false,
    moaasBaseline: 5,
    ...overrides,
  };
}

/** A session in recovery that meets every end criterion at min(120). */
export function makeSnapshot(overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    state: 'recovery',
    screening: makeScreening(),
    dosedAt: iso(T0),
    latestBp: { sbp: 128, dbp: 82, at: iso(min(115)) },
    previousBp: { sbp: 135, dbp: 85, at: iso(min(100)) },
    latestMoaas: 5,
    latestDissociation: 0,
    openConditions: [],
    ...overrides,
  };
}

/** Readings measured at the event time; no `source` means a device (contract v1.1). */
export function vitalsEvent(
  at: number,
  readings: Array<[ReadingKind, number]>,
  source?: ReadingSource,
): EngineEvent {
  return {
    type: 'vitals.recorded',
    at: iso(at),
    data: {
      readings: readings.map(([kind, value]) => ({
        kind,
        value,
        measuredAt: iso(at),
        ...(source ? { source } : {}),
      })),
    },
  };
}

export function checkInEvent(at: number, data: Record<string, unknown> = {}): EngineEvent {
  return { type: 'checkin.recorded', at: iso(at), data };
}

export function helpEvent(at: number): EngineEvent {
  return { type: 'help.requested', at: iso(at), data: {} };
}

export function stateEvent(
  at: number,
  to: SessionState,
  data: Record<string, unknown> = {},
): EngineEvent {
  return { type: 'session.state_changed', at: iso(at), data: { to, ...data } };
}

export function screeningEvent(at: number, screening: PreDoseScreening): EngineEvent {
  return { type: 'screening.submitted', at: iso(at), data: { ...screening } };
}

/** A fresh engine for a session in monitoring, heard from at T0, unless told otherwise. */
export function makeEngine(context: Partial<AlertEngineContext> = {}): AlertEngineState {
  return createAlertEngineState({ baseline: null, ...context });
}

/** Feeds events in order and returns the state and the conditions after the last one. */
export function feed(
  state: AlertEngineState,
  events: readonly EngineEvent[],
  protocol: Protocol = DEFAULT_ORAL_PROTOCOL,
): { state: AlertEngineState; conditions: Condition[] } {
  let conditions: Condition[] = [];
  for (const e of events) ({ state, conditions } = applyEvent(state, e, protocol));
  return { state, conditions };
}

/** `spo2_low:high` style labels, for compact expectations. */
export const labels = (conditions: readonly Condition[]): string[] =>
  conditions.map((c) => `${c.condition}:${c.priority}`);

export const findCondition = (
  conditions: readonly Condition[],
  code: string,
): Condition | undefined => conditions.find((c) => c.condition === code);
