import { randomUUID } from 'node:crypto';

/** How often an instance sends itself a message through Redis. */
export const REDIS_ECHO_EVERY_MS = 1000;
/**
 * An echo sent this long ago with none back since: the link counts as stalled. Longer than the
 * event loop's worst lag at twice the pipeline's capacity (about 2 s, docs/BENCHMARKS.md), so an
 * overloaded instance is not told its Redis is gone.
 */
export const REDIS_ECHO_LOST_MS = 5000;

/** The two node-redis calls the check needs (a publisher and a subscriber connection). */
export interface EchoPorts {
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: () => void): Promise<unknown>;
}

/**
 * Whether this instance's messages go through Redis and come back, now. node-redis says whether
 * its connections are open, not whether anything passes through them: a network that drops
 * packets (a NAT that forgot the connection, a Redis host that froze) leaves both "ready" until
 * the kernel gives up retransmitting, about 15 minutes, while every publish waits in the client's
 * queue and the other instances hear nothing. So each instance publishes to a channel of its own
 * every second and listens for it, on the same two connections the adapter's messages take.
 * Written here: neither node-redis nor the Socket.IO adapter checks a link end to end.
 */
export class RedisLink {
  readonly channel = `vigil:link:${randomUUID()}`;
  /** When the oldest echo not yet heard back was sent; null when every echo came back. */
  private unansweredSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ports: EchoPorts,
    /** Called on every echo heard and every tick: the caller recomputes its state. */
    private readonly onTick: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Listens for its echoes: call on each subscriber connection's `ready` (the same listener
   * subscribed again is one listener; node-redis also subscribes it again after a reconnect).
   */
  listen(): void {
    this.ports
      .subscribe(this.channel, this.echo)
      .catch(() => undefined /* the connection went meanwhile: its next ready listens again */);
  }

  /** Sends an echo every REDIS_ECHO_EVERY_MS while the publisher is ready, and ticks. */
  start(isReady: () => boolean): void {
    this.timer = setInterval(() => {
      if (isReady()) this.send();
      this.onTick();
    }, REDIS_ECHO_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A fresh connection: what was sent on the old one says nothing about it. */
  reset(): void {
    this.unansweredSince = null;
  }

  /** True once an echo has gone unanswered for REDIS_ECHO_LOST_MS. */
  stalled(): boolean {
    return this.unansweredSince !== null && this.now() - this.unansweredSince > REDIS_ECHO_LOST_MS;
  }

  send(): void {
    this.unansweredSince ??= this.now();
    // A failed publish is an echo that will not come back: the timer tells.
    this.ports.publish(this.channel, '1').catch(() => undefined);
  }

  heard(): void {
    this.unansweredSince = null;
    this.onTick();
  }

  private readonly echo = () => this.heard();
}
