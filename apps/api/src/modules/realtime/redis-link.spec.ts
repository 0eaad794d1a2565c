import { REDIS_ECHO_LOST_MS, RedisLink } from './redis-link';

function harness() {
  let now = 1_000_000;
  const published: string[] = [];
  const link = new RedisLink(
    {
      publish: (channel) => {
        published.push(channel);
        return Promise.resolve(1);
      },
      subscribe: () => Promise.resolve(),
    },
    () => undefined,
    () => now,
  );
  return { link, published, advance: (ms: number) => (now += ms) };
}

describe('RedisLink', () => {
  it('is not stalled before anything was sent, nor while echoes come back', () => {
    const { link, published, advance } = harness();
    expect(link.stalled()).toBe(false);
    for (let i = 0; i < 10; i++) {
      link.send();
      advance(1000);
      link.heard();
      expect(link.stalled()).toBe(false);
    }
    expect(published).toEqual(Array(10).fill(link.channel));
  });

  it('counts from the oldest echo unanswered, not the newest', () => {
    const { link, advance } = harness();
    link.send();
    for (let waited = 1000; waited <= REDIS_ECHO_LOST_MS; waited += 1000) {
      advance(1000);
      link.send(); // still sending every second, none back
      expect(link.stalled()).toBe(false);
    }
    advance(1);
    expect(link.stalled()).toBe(true);
    link.heard(); // the link came back: a queued echo arrives
    expect(link.stalled()).toBe(false);
  });

  it('forgets what was sent on a connection that was replaced', () => {
    const { link, advance } = harness();
    link.send();
    advance(REDIS_ECHO_LOST_MS + 1);
    expect(link.stalled()).toBe(true);
    link.reset();
    expect(link.stalled()).toBe(false);
  });
});
