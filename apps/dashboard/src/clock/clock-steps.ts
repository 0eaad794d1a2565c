/** A second's tick may run late on a busy page; a clock set by hand or by the network moves more. */
const STEP_MS = 2_000;

/**
 * Calls `onStep` when this device's clock is set (by the network, by NTP, by a person) while the
 * page is open: its reading moves against the monotonic clock (`performance.now`, which no setting
 * moves). The server's clock as this device keeps it (server-clock.ts) is an offset from its own,
 * so until the next API answer every server time is judged off by the step: the caller asks the
 * server at once rather than at its next refetch. A device waking from sleep looks the same (its
 * monotonic clock may stop while it sleeps); asking then costs one request.
 */
export function watchClockSteps(
  onStep: () => void,
  intervalMs = 1_000,
  local: () => number = () => Date.now(),
  monotonic: () => number = () => performance.now(),
): () => void {
  let drift = local() - monotonic();
  const timer = setInterval(() => {
    const now = local() - monotonic();
    if (Math.abs(now - drift) > STEP_MS) onStep();
    drift = now;
  }, intervalMs);
  return () => clearInterval(timer);
}
