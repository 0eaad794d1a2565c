import type { AlertRecord } from '../../read-model/session-model';
import { formatClock } from '../../read-model/staleness';
import { AlertBadge } from './AlertBadge';
import { AlertItem } from './AlertItem';
import { compareAlerts } from './alert-logic';
import { alertsApi, type AlertsApi } from './alerts-api';

interface Props {
  alerts: readonly AlertRecord[];
  now: number;
  userId: string;
  api?: AlertsApi;
}

/** A session's alerts: the unresolved ones to act on, then the resolved history. */
export function AlertsPanel({ alerts, now, userId, api = alertsApi }: Props) {
  const unresolved = alerts.filter((a) => a.status !== 'resolved').sort(compareAlerts);
  const resolved = alerts
    .filter((a) => a.status === 'resolved')
    .sort((a, b) => Date.parse(b.resolvedAt ?? '') - Date.parse(a.resolvedAt ?? ''));
  return (
    <section className="panel" aria-labelledby="alerts-title" data-testid="alerts-panel">
      <h2 id="alerts-title">
        Alerts{' '}
        <span className="muted">
          ({unresolved.length} open{resolved.length > 0 ? `, ${resolved.length} resolved` : ''})
        </span>
      </h2>
      {unresolved.length === 0 ? (
        <p className="muted">No open alerts.</p>
      ) : (
        <ul className="alert-list">
          {unresolved.map((a) => (
            <AlertItem key={a.id} alert={a} now={now} userId={userId} api={api} />
          ))}
        </ul>
      )}
      {resolved.length > 0 && (
        <details className="resolved-alerts">
          <summary>Resolved alerts ({resolved.length})</summary>
          <ul>
            {resolved.map((a) => (
              <li key={a.id}>
                <AlertBadge priority={a.priority} /> {a.message} · resolved{' '}
                {a.resolvedAt && formatClock(a.resolvedAt)}
                {a.resolvedBy === null
                  ? ' automatically'
                  : a.resolvedBy === userId
                    ? ' by you'
                    : ''}
                {a.resolutionNote && <span className="muted"> · “{a.resolutionNote}”</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
