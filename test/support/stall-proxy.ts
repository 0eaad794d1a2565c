// A TCP proxy in front of PostgreSQL or Redis that can stall (`npm run test:faults`, the
// database-status and redis-stall e2e): every byte held in both directions, the connections left
// open, as a network that drops packets (or a host that froze) looks to the API. Written here rather than taken from a library: toxiproxy, the usual
// tool, is a server of its own that this machine and CI do not have, and what a stall needs is
// pausing two sockets.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from './global-setup';

export class StallProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<[Socket, Socket]>();
  private readonly abandoned = new Set<[Socket, Socket]>();
  private stalled: 'both' | 'answers' | null = null;

  constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  /** A proxy started on a free port in front of the server `url` names. */
  static async inFrontOf(url: string): Promise<StallProxy> {
    const { hostname, port } = new URL(url);
    const proxy = new StallProxy({ host: hostname, port: Number(port || 5432) }, await freePort());
    await proxy.start();
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  get connections(): number {
    return this.pairs.size;
  }

  start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const close = () => {
        this.pairs.delete(pair);
        this.abandoned.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      for (const [from, to] of [pair, [upstream, client] as const]) {
        from.on('data', (chunk) => to.write(chunk));
        from.on('error', close);
        from.on('close', close);
      }
      // A connection opened during a stall is stalled too: its startup packet waits.
      if (this.stalled) this.hold(pair, this.stalled);
    });
    return new Promise((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  /**
   * Holds bytes on every connection, new ones included: `both` ways (nothing reaches PostgreSQL or
   * comes back), or only PostgreSQL's `answers` (statements arrive and commit, the API never
   * hears that they did).
   */
  stall(what: 'both' | 'answers'): void {
    this.stalled = what;
    for (const pair of this.pairs) this.hold(pair, what);
  }

  private hold([client, upstream]: [Socket, Socket], what: 'both' | 'answers'): void {
    upstream.pause();
    if (what === 'both') client.pause();
  }

  /**
   * Holds every connection open now for good, nothing through either way and nothing closed, while
   * new connections pass: a NAT or firewall that forgot its connections, a Redis host replaced
   * without a reset. Only a client that gives up on a connection and opens another gets through.
   */
  abandon(): void {
    for (const pair of this.pairs) {
      this.hold(pair, 'both');
      this.abandoned.add(pair);
    }
    this.pairs.clear();
  }

  /** Lets the held bytes through: the network came back. */
  resume(): void {
    this.stalled = null;
    for (const pair of this.pairs) for (const s of pair) s.resume();
  }

  /**
   * Ends the stall by resetting every connection it held (what a firewall's or the kernel's timeout
   * does to them eventually): after a stall of the answers, statements that committed are
   * unconfirmed to the API.
   */
  reset(): void {
    this.stalled = null;
    for (const [client, upstream] of this.pairs) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    this.pairs.clear();
  }

  close(): Promise<void> {
    this.reset();
    for (const pair of this.abandoned) for (const s of pair) s.destroy();
    this.abandoned.clear();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
