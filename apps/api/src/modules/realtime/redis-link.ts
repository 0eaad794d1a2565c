import { randomUUID } from 'node:crypto';

/** How often an instance sends itself a message through Redis. */
export const REDIS_ECHO_EVERY_MS = 1000;
/**
 * An echo sent this long ago with none back since: the link counts as stalled. Longer than the
 * event loop's worst lag at twice the pipeline's capacity (about 2 s, docs/BENCHMARKS.md), so an
 * overloaded instance is not told its Redis is gone.
 */
export const REDIS_ECHO_LOST_MS = 5000;
/**
 * A Redis connection with nothing sent or received for this long is closed and opened again
 * (node-redis's `socketTimeout`, then its reconnect strategy). An open link is never idle: each
 * connection carries an echo a second. A stalled one goes quiet, as no echo is sent on it once it
 * counts as stalled: so a connection that will never answer again (a NAT or firewall that forgot
 * it, a Redis host replaced without a reset) is replaced 15 to 20 s into the stall (the subscriber
 * first; its fresh `ready` sends one echo down the old publisher) instead of when the kernel gives
 * up on it, 11 to 15 minutes later. A stall shorter than 10 s ends on the connections it began
 * on, their queued echoes answered.
 */
export const REDIS_IDLE_TIMEOUT_MS = 2 * REDIS_ECHO_LOST_MS;

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
  readonly channel: string;
  /** When the oldest echo not yet heard back was sent; null when every echo came back. */
  private unansweredSince: number | null = null;
  /** An echo came back through the connections open now. */
  private confirmed = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ports: EchoPorts,
    /** The deployment's channel prefix, as the adapter's: one ACL pattern covers both. */
    prefix: string,
    /** Called on every echo heard and every tick: the caller recomputes its state. */
    private readonly onTick: () => void,
    private readonly now: () => number = Date.now,
  ) {
    this.channel = `${prefix}:link:${randomUUID()}`;
  }

  /**
   * Listens for its echoes, and sends one once subscribed: call on each subscriber connection's
   * `ready` (the same listener subscribed again is one listener; node-redis also subscribes it
   * again after a reconnect).
   */
  listen(): void {
    this.ports.subscribe(this.channel, this.echo).then(
      () => this.send(), // confirms the fresh connection at once, not at the next tick
      () => undefined, // the connection went meanwhile: its next ready listens again
    );
  }

  /**
   * Sends an echo every REDIS_ECHO_EVERY_MS while the publisher is ready and the link is not
   * stalled (a stalled connection is left quiet, so REDIS_IDLE_TIMEOUT_MS can replace it), and
   * ticks.
   */
  start(isReady: () => boolean): void {
    this.timer = setInterval(() => this.tick(isReady()), REDIS_ECHO_EVERY_MS);
    this.timer.unref();
  }

  tick(publisherReady: boolean): void {
    if (publisherReady && !this.stalled()) this.send();
    this.onTick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * A connection (re)opened: nothing has crossed it yet. The echo owed stays owed, so a stalled
   * link stays quiet (but for the one echo `listen` and the publisher's `ready` send), and the
   * other connection, if it is the dead one, still times out.
   */
  reopened(): void {
    this.confirmed = false;
  }

  /** True once an echo has gone unanswered for REDIS_ECHO_LOST_MS. */
  stalled(): boolean {
    return this.unansweredSince !== null && this.now() - this.unansweredSince > REDIS_ECHO_LOST_MS;
  }

  /**
   * Messages go through Redis and come back: an echo was heard on these connections and none is
   * overdue. A connection that opens during a stall (its handshake may pass before the stall
   * shows) is not called flowing until an echo crosses it.
   */
  flowing(): boolean {
    return this.confirmed && !this.stalled();
  }

  send(): void {
    this.unansweredSince ??= this.now();
    // A failed publish is an echo that will not come back: the timer tells.
    this.ports.publish(this.channel, '1').catch(() => undefined);
  }

  heard(): void {
    this.unansweredSince = null;
    this.confirmed = true;
    this.onTick();
  }

  private readonly echo = () => this.heard();
}
