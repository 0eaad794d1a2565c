import { useEffect, useState } from 'react';
import { useConnectionStatus } from '../../realtime/useConnectionStatus';

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** Always visible: live, reconnecting (since when) or offline. Never shows stale data as live. */
export function ConnectionIndicator() {
  const status = useConnectionStatus();
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const degraded = status.state === 'live' && status.degraded === true;
  const label =
    status.state === 'live'
      ? degraded
        ? 'Live, delayed (server link down)'
        : 'Live'
      : status.state === 'connecting'
        ? 'Connecting…'
        : status.state === 'reconnecting'
          ? `Reconnecting since ${clock(status.since)}`
          : `Offline since ${clock(status.since)}`;
  return (
    <span
      className={`connection connection-${degraded ? 'degraded' : status.state}`}
      role="status"
      aria-live="polite"
      data-testid="connection"
    >
      <span aria-hidden="true" className="connection-dot" />
      {label}
    </span>
  );
}
