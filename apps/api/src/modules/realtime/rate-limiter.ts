/**
 * A token bucket per socket: `ratePerSecond` sustained, `burst` at once. A phone sends a few
 * messages a minute; a socket that keeps hitting the limit is abusive and gets disconnected.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private strikes = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly maxStrikes: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** 'ok', 'limited' (refuse this message), or 'abusive' (disconnect the socket). */
  take(now: number): 'ok' | 'limited' | 'abusive' {
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond,
    );
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.strikes = Math.max(0, this.strikes - 0.1);
      return 'ok';
    }
    this.strikes += 1;
    return this.strikes >= this.maxStrikes ? 'abusive' : 'limited';
  }
}

export interface RateLimitSettings {
  /** Per user and session: what one phone may send about one session. */
  perSecond: number;
  burst: number;
  /** Per user over all sessions, a multiple of the above (a clinician re-watching a full board). */
  userFactor: number;
  maxStrikes: number;
}

interface Keyed {
  bucket: TokenBucket;
  usedAt: number;
}

/** Buckets idle this long are full again anyway, so they are dropped. */
const IDLE_MS = 5 * 60_000;

/**
 * Token buckets keyed by user and by user+session rather than by connection: reconnecting gets no
 * fresh burst, and one session's flood does not starve the user's others. Per instance: a client
 * spreading its connections over N instances gets at most N times the rate.
 */
export class RateLimits {
  private readonly buckets = new Map<string, Keyed>();
  private lastSweep = 0;

  constructor(private readonly settings: RateLimitSettings) {}

  take(userId: string, sessionId: string | null, now: number): 'ok' | 'limited' | 'abusive' {
    this.sweep(now);
    const { perSecond, burst, userFactor, maxStrikes } = this.settings;
    const user = this.bucket(`u:${userId}`, perSecond * userFactor, burst * userFactor, now);
    const verdict = user.take(now);
    if (verdict !== 'ok' || sessionId === null) return verdict;
    return this.bucket(`s:${userId}:${sessionId}`, perSecond, burst, now, maxStrikes).take(now);
  }

  private bucket(key: string, rate: number, burst: number, now: number, strikes?: number) {
    let keyed = this.buckets.get(key);
    if (!keyed) {
      keyed = {
        bucket: new TokenBucket(rate, burst, strikes ?? this.settings.maxStrikes, now),
        usedAt: now,
      };
      this.buckets.set(key, keyed);
    }
    keyed.usedAt = now;
    return keyed.bucket;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < IDLE_MS) return;
    this.lastSweep = now;
    for (const [key, keyed] of this.buckets)
      if (now - keyed.usedAt > IDLE_MS) this.buckets.delete(key);
  }
}
