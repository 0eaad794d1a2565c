import { TokenBucket } from './rate-limiter';

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
