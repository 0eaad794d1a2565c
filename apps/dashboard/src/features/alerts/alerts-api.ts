import type { AlertSummary } from '@vigil/contracts';
import { api } from '../../shared/api';

/** The clinician's alert actions (REST); the resulting events arrive over the socket. */
export const alertsApi = {
  acknowledge: (alertId: string) =>
    api<AlertSummary>('POST', `/api/alerts/${alertId}/acknowledge`, {}),
  resolve: (alertId: string, note: string) =>
    api<AlertSummary>('POST', `/api/alerts/${alertId}/resolve`, { note }),
  /** The server clamps to 2 minutes as well; a silence is never indefinite. */
  silence: (alertId: string, minutes: number) =>
    api<AlertSummary>('POST', `/api/alerts/${alertId}/silence`, {
      minutes: Math.min(2, minutes),
    }),
};

export type AlertsApi = typeof alertsApi;
