import type { ReadingKind } from '@vigil/contracts';
import type { EngineEvent } from '../alert-types';
import type { PreDoseScreening } from '../pre-dose-gate';
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

export function vitalsEvent(at: number, readings: Array<[ReadingKind, number]>): EngineEvent {
  return {
    type: 'vitals.recorded',
    at: iso(at),
    data: { readings: readings.map(([kind, value]) => ({ kind, value, measuredAt: iso(at) })) },
  };
}

export function checkInEvent(at: number, data: Record<string, unknown> = {}): EngineEvent {
  return { type: 'checkin.recorded', at: iso(at), data };
}
