import { useConnectionStatus } from '../../realtime/useConnectionStatus';
import { formatClock } from '../../read-model/staleness';

/**
 * While the socket is down, nothing new reaches this screen, including new alerts: say so
 * plainly above everything, not only in the small indicator in the header. The same while the
 * socket is up but the server cannot save (v1.8 `server.status`): nothing new arrives either,
 * and the board would otherwise look live.
 */
export function ConnectionLostBanner() {
  const status = useConnectionStatus();
  if (status.state === 'live' && status.notSavingSince !== undefined)
    return (
      <p className="banner banner-error connection-lost" role="alert" data-testid="not-saving">
        <span aria-hidden="true">⚠ </span>
        <strong>
          The server has not been able to save data since {formatClock(status.notSavingSince)}
        </strong>{' '}
        (its database does not answer). Check-ins, vitals, help requests and alerts since then are
        not shown until it recovers; patients&apos; phones keep what they send and send it again.
        Values show their age. Use another way to reach patients with an urgent need.
      </p>
    );
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
