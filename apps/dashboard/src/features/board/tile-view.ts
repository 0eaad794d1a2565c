import type { ReadingKind, SessionSummary } from '@vigil/contracts';
import type { News2Result } from '@vigil/clinical';
import { unresolvedAlerts } from '../alerts/alert-logic';
import { checkInDue, type CheckInDue } from '../workspace/check-in-due';
import { news2For } from '../workspace/news2-input';
import { emptySessionModel, type AlertRecord, type SessionModel } from '../workspace/session-model';
import { ageMs, isStale, minutesBetween } from '../workspace/staleness';
import type { RiskFacts } from './risk-sort';

export interface VitalView {
  key: string;
  label: string;
  value: string | null;
  unit: string;
  ageMs: number | null;
  stale: boolean;
}

export interface TileView extends RiskFacts {
  state: string;
  dosedAt: string | null;
  minutesSinceDose: number | null;
  vitals: VitalView[];
  checkIn: CheckInDue;
  news2: News2Result;
  alerts: AlertRecord[];
  topAlert: AlertRecord | null;
  presence: SessionModel['presence'];
  /** The newest reading of any kind: what "no data since" refers to when the device is silent. */
  lastDataAt: string | null;
  /** Still loading the session's events: show nothing as if it were known. */
  loading: boolean;
}

function vital(
  model: SessionModel,
  key: ReadingKind,
  label: string,
  unit: string,
  now: number,
): VitalView {
  const v = model.latest[key];
  return {
    key,
    label,
    unit,
    value: v ? String(v.value) : null,
    ageMs: ageMs(v?.measuredAt, now),
    stale: v ? isStale(v.measuredAt, now) : false,
  };
}

function bloodPressure(model: SessionModel, now: number): VitalView {
  const s = model.latest.bp_systolic;
  const d = model.latest.bp_diastolic;
  // The pair is as old as its older half.
  const older = s && d ? (Date.parse(s.measuredAt) < Date.parse(d.measuredAt) ? s : d) : (s ?? d);
  return {
    key: 'bp',
    label: 'BP',
    unit: 'mmHg',
    value: s || d ? `${s?.value ?? '–'}/${d?.value ?? '–'}` : null,
    ageMs: ageMs(older?.measuredAt, now),
    stale: older ? isStale(older.measuredAt, now) : false,
  };
}

export function tileView(
  summary: SessionSummary,
  model: SessionModel | undefined,
  now: number,
): TileView {
  const m = model ?? emptySessionModel();
  const dosedAt = m.dosedAt ?? summary.dosedAt;
  const alerts = unresolvedAlerts(m);
  const checkIn = checkInDue(m, dosedAt, now);
  const news2 = news2For(m, now);
  const times = Object.values(m.latest)
    .map((v) => Date.parse(v.measuredAt))
    .filter((t) => !Number.isNaN(t));
  const lastDataAt = times.length > 0 ? new Date(Math.max(...times)).toISOString() : null;
  return {
    sessionId: summary.id,
    patientName: summary.patient.name,
    state: m.state ?? summary.state,
    dosedAt,
    minutesSinceDose: minutesBetween(dosedAt, now),
    vitals: [
      vital(m, 'heart_rate', 'HR', '/min', now),
      bloodPressure(m, now),
      vital(m, 'spo2', 'SpO2', '%', now),
      vital(m, 'resp_rate', 'RR', '/min', now),
    ],
    checkIn,
    news2,
    news2Total: news2.total,
    overdueMs: checkIn.overdueMs,
    alerts,
    topAlert: alerts[0] ?? null,
    presence: m.presence,
    lastDataAt,
    loading: model === undefined,
  };
}
