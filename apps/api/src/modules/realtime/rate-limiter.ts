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
