import type {
  AccountWithHistory,
  ScheduleSessionRequest,
  AlertFigures,
  AuditLogEntry,
  AuditVerifyResult,
  Page,
  RemsReport,
  SessionEvent,
  SessionEventsResponse,
  SessionHistoryItem,
  SessionSummary,
} from '@vigil/contracts';
import { api, ApiError } from '../../shared/api';
import { authStore } from '../../auth/auth-store';
import { receivedEvents } from '../../realtime/received-events';

/** Filters as the forms hold them: strings, empty meaning "any". */
export type Filters = Record<string, string>;

/** A query string of the non-empty filters, in a stable order (so it can key a query cache). */
export function queryString(filters: Filters): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(filters).sort()) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const supervisorApi = {
  history: (f: Filters) =>
    api<Page<SessionHistoryItem>>('GET', `/api/supervisor/sessions${queryString(f)}`),
  figures: (f: Filters) =>
    api<AlertFigures>('GET', `/api/supervisor/alert-figures${queryString(f)}`),
  report: (id: string) => api<RemsReport>('GET', `/api/supervisor/sessions/${id}/report`),
  session: (id: string) => api<SessionSummary>('GET', `/api/sessions/${id}`),
  accounts: () => api<AccountWithHistory[]>('GET', '/api/supervisor/accounts'),
  schedule: (body: ScheduleSessionRequest) =>
    api<SessionSummary>('POST', '/api/admin/sessions', body),
  auditLog: (f: Filters) => api<Page<AuditLogEntry>>('GET', `/api/audit/events${queryString(f)}`),
  verify: () => api<AuditVerifyResult>('GET', '/api/audit/verify'),

  /** Every event of a session in seq order, page after page. */
  async allEvents(id: string): Promise<SessionEvent[]> {
    const events: SessionEvent[] = [];
    for (;;) {
      const after = events.length ? events[events.length - 1].seq : 0;
      const page = await api<SessionEventsResponse>(
        'GET',
        `/api/sessions/${id}/events?after=${after}&limit=1000`,
      );
      events.push(...page.events);
      if (page.events.length === 0 || events[events.length - 1].seq >= page.headSeq)
        return receivedEvents(events);
    }
  },

  /** The CSV as a file download: a plain fetch, since `api()` reads JSON. */
  downloadReportCsv: (id: string) =>
    downloadFile(
      `/api/supervisor/sessions/${id}/report?format=csv`,
      `session-${id}-rems.csv`,
      'CSV',
    ),

  /** The session's FHIR R4 Bundle (`GET /api/sessions/:id/fhir`, audited) as a file download. */
  downloadFhir: (id: string) =>
    downloadFile(`/api/sessions/${id}/fhir`, `session-${id}.fhir.json`, 'FHIR export'),
};

/** Fetches with the signed-in user's token and saves the answer as a file. */
async function downloadFile(path: string, filename: string, what: string): Promise<void> {
  const token = authStore.get()?.accessToken;
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new ApiError(res.status, `${what} download failed (${res.status})`);
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

/** `<input type="datetime-local">` value (local time) to ISO, or '' when empty or invalid. */
export function localToIso(value: string): string {
  if (!value) return '';
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString('en-GB', {
    day: '2-digit',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
