import type { DataSource } from 'typeorm';
import type { ManualClock } from '../../apps/api/src/common/clock';
import { AlertEngineService } from '../../apps/api/src/modules/alerts/alert-engine.service';
import {
  ClinicalWatchdogService,
  type WatchdogTickResult,
} from '../../apps/api/src/modules/alerts/clinical-watchdog.service';
import { http, type HttpResult } from './factories';
import type { TestApp } from './test-app';

export const MINUTE = 60_000;

/** A screening that passes the pre-dose gate; override any field. */
export function goodScreening(clientId: string, over: Record<string, unknown> = {}) {
  return {
    clientId,
    sbp: 122,
    dbp: 78,
    hr: 72,
    spo2: 98,
    supportPerson: { adult: true, presentWholeSession: true, name: 'Sam', phone: '+15550100' },
    fasting: true,
    noRecentSubstances: true,
    concomitantBpRaisingMeds: false,
    moaasBaseline: 5,
    ...over,
  };
}

/** Lets the event-driven engine finish what the last commits queued. */
export function settle(t: TestApp): Promise<void> {
  return t.app.get(AlertEngineService).whenIdle();
}

export async function tick(t: TestApp): Promise<WatchdogTickResult> {
  await settle(t);
  const result = await t.app.get(ClinicalWatchdogService).tick();
  await settle(t);
  return result;
}

export function manual(t: TestApp): ManualClock {
  return t.clock as ManualClock;
}

let counter = 0;
export const cid = (prefix: string) => `${prefix}-${++counter}`;

const BUSY_RETRIES = 20;

export function flow(t: TestApp, token: string, sessionId: string) {
  // A 503 means the server was past its capacity and stored nothing: the phone's outbox sends the
  // same body (same clientId) again, and so does this phone, so that a loaded test machine slows
  // the replay down instead of failing it.
  const post = async (path: string, body: unknown): Promise<HttpResult> => {
    for (let attempt = 1; ; attempt++) {
      const r = await http(t.url, 'POST', `/api/sessions/${sessionId}/${path}`, { token, body });
      if (r.status !== 503 || attempt === BUSY_RETRIES) return r;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  };
  return {
    post,
    screening: (over: Record<string, unknown> = {}) =>
      post('screening', goodScreening(cid('scr'), over)),
    dose: (takenAt: Date, over: Record<string, unknown> = {}) =>
      post('dose', {
        clientId: cid('dose'),
        doseMg: 100,
        route: 'oral',
        takenAt: takenAt.toISOString(),
        ...over,
      }),
    transition: (action: string, reason?: string) =>
      post('transition', { clientId: cid('tr'), action, ...(reason ? { reason } : {}) }),
    override: (gate: 'pre_dose' | 'end', reason: string) =>
      post('override', { clientId: cid('ov'), gate, reason }),
    vitals: (at: Date, readings: Array<[string, number]>) =>
      post('vitals', {
        clientId: cid('v'),
        readings: readings.map(([kind, value]) => ({
          kind,
          value,
          measuredAt: at.toISOString(),
        })),
      }),
    checkIn: (body: Record<string, unknown>) => post('check-ins', { clientId: cid('c'), ...body }),
    help: () => post('help', { clientId: cid('h') }),
  };
}

export interface StoredAlert {
  id: string;
  condition: string;
  priority: string;
  status: string;
  message: string;
  escalation_count: number;
  silenced_until: Date | null;
}

export async function alertsOf(ds: DataSource, sessionId: string): Promise<StoredAlert[]> {
  return ds.query(
    `SELECT id, condition, priority, status, message, escalation_count, silenced_until FROM alerts
      WHERE session_id = $1 ORDER BY raised_at, id`,
    [sessionId],
  );
}

export async function eventsOf(
  ds: DataSource,
  sessionId: string,
  type?: string,
): Promise<Array<{ seq: string; type: string; data: Record<string, unknown> }>> {
  return ds.query(
    `SELECT seq, type, data FROM session_events WHERE session_id = $1 AND ($2::text IS NULL OR type = $2)
      ORDER BY seq`,
    [sessionId, type ?? null],
  );
}

/** How far the alert engine has processed a session's log (`last_seq`) against its head. */
export async function engineProgress(
  t: TestApp,
  sessionId: string,
): Promise<{ lastSeq: number; head: number }> {
  const [row] = await t.dataSource.query<Array<{ last_seq: string; head_seq: string }>>(
    `SELECT st.last_seq, s.head_seq FROM session_alert_state st
       JOIN sessions s ON s.id = st.session_id WHERE st.session_id = $1`,
    [sessionId],
  );
  return { lastSeq: Number(row.last_seq), head: Number(row.head_seq) };
}
