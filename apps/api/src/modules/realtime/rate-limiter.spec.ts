import { RateLimits, TokenBucket } from './rate-limiter';

describe('TokenBucket', () => {
  it('allows a burst, then refuses, then refills with time', () => {
    const bucket = new TokenBucket(10, 5, 100, 0);
    const burst = Array.from({ length: 6 }, () => bucket.take(0));
    expect(burst).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'limited']);
    expect(bucket.take(100)).toBe('ok'); // 0.1 s at 10/s = one token
    expect(bucket.take(100)).toBe('limited');
  });

  it('calls a socket abusive once it keeps flooding past the limit', () => {
    const bucket = new TokenBucket(1, 2, 5, 0);
    const results = Array.from({ length: 10 }, () => bucket.take(0));
    expect(results.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(results).toContain('abusive');
    expect(results.indexOf('abusive')).toBe(6);
  });
});

describe('RateLimits', () => {
  const limits = () => new RateLimits({ perSecond: 1, burst: 3, userFactor: 4, maxStrikes: 50 });

  it('keys by user and session, so a new connection of the same user gets no fresh burst', () => {
    const rl = limits();
    const first = Array.from({ length: 4 }, () => rl.take('u1', 's1', 0));
    expect(first).toEqual(['ok', 'ok', 'ok', 'limited']);
    // what a reconnect used to reset: the same user and session are still out of tokens
    expect(rl.take('u1', 's1', 0)).toBe('limited');
    expect(rl.take('u2', 's1', 0)).toBe('ok');
  });

  it("lets a user's other sessions through up to the per-user allowance", () => {
    const rl = limits();
    const sessions = Array.from({ length: 13 }, (_, i) => rl.take('u1', `s${i}`, 0));
    expect(sessions.filter((v) => v === 'ok')).toHaveLength(12); // burst 3 x factor 4
  });

  it('keeps a 1 Hz patient and a clinician re-watching 100 sessions within the defaults', () => {
    const rl = new RateLimits({ perSecond: 20, burst: 60, userFactor: 5, maxStrikes: 50 });
    for (let t = 0; t < 600_000; t += 1000) {
      expect(rl.take('patient', 's1', t)).toBe('ok'); // vitals
      if (t % 15_000 === 0) expect(rl.take('patient', 's1', t)).toBe('ok'); // heartbeat
    }
    const watches = Array.from({ length: 100 }, (_, i) => rl.take('clinician', `s${i}`, 0));
    expect(watches.every((v) => v === 'ok')).toBe(true);
  });
});
