export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** 1 s, 2 s, 4 s ... up to a minute: a phone on a poor network keeps trying without draining. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

/**
 * Exponential backoff with jitter between half and all of the step, so many phones that lost
 * the network together do not all come back in the same second.
 */
export function backoffDelay(failures: number, random: number, policy = DEFAULT_BACKOFF): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(step * (0.5 + random / 2));
}
