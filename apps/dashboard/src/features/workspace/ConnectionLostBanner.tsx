import { useConnectionStatus } from '../../realtime/useConnectionStatus';
import { formatClock } from '../../read-model/staleness';

/**
 * While the socket is down, nothing new reaches this screen, including new alerts: say so
 * plainly above everything, not only in the small indicator in the header.
 */
export function ConnectionLostBanner() {
  const status = useConnectionStatus();
  if (status.state !== 'reconnecting' && status.state !== 'offline') return null;
  return (
    <p className="banner banner-error connection-lost" role="alert" data-testid="connection-lost">
      <span aria-hidden="true">⚠ </span>
      <strong>No live data since {formatClock(status.since)}.</strong> Alerts raised since then are
      not shown until the connection returns; values show their age. Use another way to reach
      patients with an urgent need.
    </p>
  );
}
