import { REDIS_ECHO_LOST_MS, REDIS_IDLE_TIMEOUT_MS, RedisLink } from './redis-link';

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
    'vigil:test-deployment',
    () => undefined,
    () => now,
  );
  return { link, published, advance: (ms: number) => (now += ms) };
}

describe('RedisLink', () => {
  it("echoes on a channel under the deployment's prefix (one Redis ACL pattern covers it)", () => {
    expect(harness().link.channel).toMatch(/^vigil:test-deployment:link:[0-9a-f-]{36}$/);
  });

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

  it('waits for an echo through a connection opened again, and keeps the one owed (the other connection may be the dead one)', () => {
    const { link, published, advance } = harness();
    link.send();
    link.heard();
    link.reopened();
    expect(link.flowing()).toBe(false); // nothing crossed the new connection yet
    link.send();
    advance(REDIS_ECHO_LOST_MS + 1);
    link.reopened();
    expect(link.stalled()).toBe(true);
    link.tick(true);
    expect(published).toHaveLength(2); // still quiet while stalled
    link.heard();
    expect(link.flowing()).toBe(true);
  });

  it('is flowing only once an echo came back, and not while one is overdue', () => {
    const { link, advance } = harness();
    expect(link.flowing()).toBe(false);
    link.send();
    link.heard();
    expect(link.flowing()).toBe(true);
    link.send();
    advance(REDIS_ECHO_LOST_MS + 1);
    expect(link.flowing()).toBe(false);
  });

  it('sends an echo a tick while the publisher is ready, and none once stalled (the connection goes quiet, to be replaced)', () => {
    const { link, published, advance } = harness();
    link.tick(false);
    expect(published).toHaveLength(0);
    for (let s = 0; s <= REDIS_ECHO_LOST_MS / 1000; s++) {
      link.tick(true);
      advance(1000);
    }
    const sent = published.length;
    expect(link.stalled()).toBe(true);
    for (let s = 0; s < REDIS_IDLE_TIMEOUT_MS / 1000; s++) {
      link.tick(true);
      advance(1000);
    }
    expect(published).toHaveLength(sent);
    link.heard(); // a queued echo got through after all: the link is back, and so are the echoes
    link.tick(true);
    expect(published).toHaveLength(sent + 1);
  });

  it('sends an echo as soon as it listens on a fresh connection', async () => {
    const { link, published } = harness();
    link.listen();
    await Promise.resolve();
    expect(published).toEqual([link.channel]);
  });
});
