import { Link } from 'react-router';
import { AlertBadge } from './AlertBadge';
import type { SessionAlert } from './useAnnunciation';

interface Props {
  alerts: readonly SessionAlert[];
  names: ReadonlyMap<string, string>;
  /** The session on screen: its alerts are in its own panel already. */
  exceptSessionId?: string;
}

/** Other sessions' open alerts, so a clinician deep in one session still sees the rest. */
export function AlertStrip({ alerts, names, exceptSessionId }: Props) {
  const shown = alerts.filter(
    (a) => a.sessionId !== exceptSessionId && a.alert.priority !== 'info',
  );
  if (shown.length === 0) return null;
  return (
    <nav
      className="alert-strip"
      aria-label="Open alerts in other sessions"
      data-testid="alert-strip"
    >
      <ul>
        {shown.map(({ sessionId, alert }) => (
          <li key={alert.id} className={`alert-row-${alert.priority}`}>
            <Link to={`/sessions/${sessionId}`}>
              <AlertBadge priority={alert.priority} /> {names.get(sessionId) ?? 'Session'}:{' '}
              {alert.message}
              {alert.status === 'open' ? ' · unacknowledged' : ' · acknowledged'}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
