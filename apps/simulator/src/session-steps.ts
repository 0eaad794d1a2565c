import { randomUUID } from 'node:crypto';
import type {
  DoseSubmission,
  ScreeningResult,
  ScreeningSubmission,
  SessionFlowResult,
  SessionSummary,
  TransitionAction,
  TransitionSubmission,
} from '@vigil/contracts';
import type { ApiClient } from './api-client';
import { measureVitals, type SessionPhysiology } from './physiology.model';
import { mixSeed, mulberry32 } from './prng';
import { sleep } from './sim-log';

/**
 * The session-flow calls a phone makes, over REST like the real app: each with its own
 * clientId, retried with the same one when the network fails (the server answers a retry with
 * the first result).
 */
async function idempotent<T>(
  api: ApiClient,
  path: string,
  body: { clientId: string },
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api.request<T>('POST', path, body);
    } catch (err) {
      // An HTTP answer is final; only a network failure earns a retry.
      if (attempt >= 5 || (err as { status?: number }).status !== undefined) throw err;
      await sleep(1_000 * (attempt + 1), signal);
    }
  }
}

/** PHQ-9 / GAD-7 answers of a patient in treatment: mild, item 9 (self-harm) always 0. */
function questionnaire(seed: number, count: number): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, (_, i) =>
    count === 9 && i === 8 ? 0 : Math.floor(rng() * 2.4),
  );
}

export function screeningBody(physiology: SessionPhysiology): ScreeningSubmission {
  const v = measureVitals(physiology, -5);
  const seed = physiology.profile.noiseSeed;
  return {
    clientId: randomUUID(),
    sbp: v.sbp,
    dbp: v.dbp,
    hr: v.hr,
    spo2: v.spo2,
    supportPerson: {
      adult: true,
      presentWholeSession: true,
      name: 'Simulated Support Person',
      phone: '+44 7700 900000',
    },
    fasting: true,
    noRecentSubstances: true,
    concomitantBpRaisingMeds: false,
    phq9: questionnaire(mixSeed(seed, 9), 9),
    gad7: questionnaire(mixSeed(seed, 7), 7),
    moaasBaseline: 5,
    note: 'simulated patient',
  };
}

export function submitScreening(
  api: ApiClient,
  sessionId: string,
  physiology: SessionPhysiology,
): Promise<ScreeningResult> {
  return idempotent(api, `/api/sessions/${sessionId}/screening`, screeningBody(physiology));
}

/** `takenAt` may lie in the past (a staggered demo start), never ahead of the server's clock. */
export function confirmDose(
  api: ApiClient,
  sessionId: string,
  takenAt: Date,
): Promise<SessionFlowResult> {
  const body: DoseSubmission = {
    clientId: randomUUID(),
    doseMg: 150,
    route: 'oral',
    takenAt: new Date(Math.min(takenAt.getTime(), Date.now() - 2_000)).toISOString(),
  };
  return idempotent(api, `/api/sessions/${sessionId}/dose`, body);
}

export function transition(
  api: ApiClient,
  sessionId: string,
  action: TransitionAction,
  reason?: string,
): Promise<SessionFlowResult> {
  const body: TransitionSubmission = {
    clientId: randomUUID(),
    action,
    ...(reason ? { reason } : {}),
  };
  return idempotent(api, `/api/sessions/${sessionId}/transition`, body);
}

export function getSession(api: ApiClient, sessionId: string): Promise<SessionSummary> {
  return api.request<SessionSummary>('GET', `/api/sessions/${sessionId}`);
}

export function listOwnSessions(api: ApiClient): Promise<SessionSummary[]> {
  return api.request<SessionSummary[]>('GET', '/api/sessions');
}
