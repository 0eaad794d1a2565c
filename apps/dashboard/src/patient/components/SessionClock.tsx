const pad = (n: number) => String(n).padStart(2, '0');

function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

interface SessionClockProps {
  dosedAt: number;
  now: number;
  minMonitoringMs: number;
}

/** Time since the dose, and how much of the minimum monitoring time is left. */
export function SessionClock({ dosedAt, now, minMonitoringMs }: SessionClockProps) {
  const left = Math.ceil((dosedAt + minMonitoringMs - now) / 60_000);
  return (
    <div className="pt-clock" role="timer" aria-label="Time since your dose">
      <span className="pt-clock-label">Time since your dose</span>
      <span className="pt-clock-time" data-testid="session-clock">
        {formatElapsed(now - dosedAt)}
      </span>
      <span className="pt-clock-note">
        {left > 0
          ? `At least ${left} more minute${left === 1 ? '' : 's'} of monitoring`
          : 'Minimum monitoring time done: your clinician will finish the session with you'}
      </span>
    </div>
  );
}
