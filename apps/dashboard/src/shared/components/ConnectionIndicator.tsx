import { useEffect, useState } from 'react';
import { useConnectionStatus } from '../../realtime/useConnectionStatus';

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/**
 * Always visible: live, reconnecting (since when), offline, or connected to a server that cannot
 * save (since when). Never shows stale data as live.
 */
export function ConnectionIndicator() {
  const status = useConnectionStatus();
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const notSaving = status.state === 'live' ? status.notSavingSince : undefined;
  const degraded = status.state === 'live' && status.degraded === true;
  const label =
    status.state === 'live'
      ? notSaving !== undefined
        ? `Not saving since ${clock(notSaving)}`
        : degraded
          ? 'Live, delayed (server link down)'
          : 'Live'
      : status.state === 'connecting'
        ? 'Connecting…'
        : status.state === 'reconnecting'
          ? `Reconnecting since ${clock(status.since)}`
          : `Offline since ${clock(status.since)}`;
  return (
    <span
      className={`connection connection-${notSaving !== undefined ? 'not-saving' : degraded ? 'degraded' : status.state}`}
      role="status"
      aria-live="polite"
      data-testid="connection"
    >
      <span aria-hidden="true" className="connection-dot" />
      {label}
    </span>
  );
}
