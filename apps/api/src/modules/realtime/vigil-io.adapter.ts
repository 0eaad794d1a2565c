import type { INestApplicationContext, WsMessageHandler } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import { createClient } from 'redis';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { ShutdownState } from '../../common/shutdown-state';
import type { AppConfig } from '../../config/config.schema';
import { corkFlushes, type EngineConnection } from './cork-frames';
import { CrossInstanceStatus } from './cross-instance-status';
import { readDeploymentId } from './deployment.repository';
import { REDIS_IDLE_TIMEOUT_MS, RedisLink } from './redis-link';

export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;
/**
 * Publishes waiting for Redis at most: past it a publish fails at once (dropped, as while the
 * link is down; the head sweep makes up for it) instead of growing the client's queue for as long
 * as the link stalls before it is noticed.
 */
const REDIS_QUEUE_MAX = 10_000;

/** One message name, shared by every socket: its index in BoundHandlers, and its listener. */
interface MessageSlot {
  message: string;
  index: number;
  isAckHandledManually: boolean;
  listener: (this: Socket, ...args: unknown[]) => void;
}

/**
 * What Nest bound to one socket, kept as one array: at 0 how handlers' results are read (its
 * `transform`), then each message's handler at that message's slot (`VigilIoAdapter.slots`).
 */
type BoundHandlers = Array<WsMessageHandler['callback'] | undefined>;

/** Express's compiled `trust proxy` setting: is the hop at `address` (index `i`) trusted? */
export type TrustProxy = (address: string, i: number) => boolean;
const trustNone: TrustProxy = () => false;

/**
 * The host the browser asked for: behind a trusted proxy its X-Forwarded-Host (a proxy that
 * rewrites Host, e.g. to drop the port, still says there what the browser used), else Host. The
 * same rule as Express's `req.host` for HTTP.
 */
function requestedHost(req: IncomingMessage, trust: TrustProxy): string | undefined {
  const forwarded = req.headers['x-forwarded-host'];
  const peer = req.socket?.remoteAddress;
  if (typeof forwarded === 'string' && peer && trust(peer, 0)) {
    return forwarded.split(',')[0].trim();
  }
  return req.headers.host;
}

/** Browsers always send Origin on a WebSocket handshake, and CORS does not stop cross-site ones. */
export function originAllowed(
  req: IncomingMessage,
  allowList: readonly string[],
  trust: TrustProxy = trustNone,
): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // phones' native stacks, devices and servers send none
  try {
    if (new URL(origin).host === requestedHost(req, trust)) return true;
  } catch {
    return false;
  }
  return allowList.includes(origin);
}

/**
 * The Socket.IO adapter (un)subscribes without handling a failure: while Redis is unreachable
 * those commands wait in the client's queue, and closing the client then rejects them unhandled
 * (a shutdown with Redis down logged one per channel). Each call's promise gets a handler; the
 * caller still gets the same promise. node-redis subscribes again after a reconnect by itself.
 */
function handleFailures(client: object, methods: readonly string[]): void {
  const target = client as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const method of methods) {
    const original = target[method].bind(client);
    target[method] = (...args: unknown[]) => {
      const result = original(...args);
      result.catch(() => undefined);
      return result;
    };
  }
}

/**
 * Socket.IO server settings that the gateway decorator cannot take from config: the origin
 * allow-list, the 64 KB message cap, no per-message deflate (CPU), and, with REDIS_URL, the Redis
 * adapter so rooms span every API instance.
 */
export class VigilIoAdapter extends IoAdapter {
  private readonly logger = new Logger('Realtime');
  private redisClients: Array<ReturnType<typeof createClient>> = [];
  private redisAdapter: ReturnType<typeof createAdapter> | null = null;
  private redisLink: RedisLink | null = null;
  private servers: Server[] = [];
  /** Per socket, what Nest bound to it (one gateway per namespace: ours is /live). */
  private readonly bound = new WeakMap<Socket, BoundHandlers>();
  /** Per message name, shared by every socket: its slot in BoundHandlers, its listener. */
  private readonly slots = new Map<string, MessageSlot>();
  private readonly status: CrossInstanceStatus | null;
  private readonly shutdown: ShutdownState | null;
  private lastError = '';

  constructor(
    private readonly app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly trustProxy: TrustProxy = trustNone,
  ) {
    super(app);
    this.status = app.get(CrossInstanceStatus, { strict: false });
    this.shutdown = app.get(ShutdownState, { strict: false });
  }

  /**
   * Joins the other instances through Redis without waiting for it: the API starts (and serves)
   * while Redis is down, and joins when it comes back (node-redis reconnects with backoff and
   * re-subscribes). Publishing never throws nor queues while the link is down: a message that
   * cannot go is dropped, reported as degraded, and made up for by each instance's head sweep.
   * Down means a connection closed or, connections open, no echo back through Redis for 5 s
   * (RedisLink: a stalled network or Redis host), or a fresh connection no echo has crossed yet;
   * a connection quiet for REDIS_IDLE_TIMEOUT_MS is replaced.
   *
   * The channels are named after the database's deployment id (`deployment.repository.ts`,
   * read here, once): every instance on this database shares them, and a deployment on another
   * database that uses the same Redis server hears none of it (a board's summaries carry
   * patients' vitals and alerts).
   */
  async connectRedis(): Promise<void> {
    if (!this.config.REDIS_URL) return;
    const deploymentId = await readDeploymentId(this.app.get(DataSource).manager);
    const pub = createClient({
      url: this.config.REDIS_URL,
      socket: {
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000),
        socketTimeout: REDIS_IDLE_TIMEOUT_MS,
      },
      commandsQueueMaxLength: REDIS_QUEUE_MAX,
    });
    const sub = pub.duplicate();
    const publish = pub.publish.bind(pub);
    // Every channel this instance uses starts with this: `vigil:<id>#/live#...` (the adapter's)
    // and `vigil:<id>:link:...` (the echo), so a Redis ACL of `&vigil:<id>*` allows them all.
    const key = `vigil:${deploymentId}`;
    const link = new RedisLink(
      // async: a call on a client not open yet rejects instead of throwing.
      { publish, subscribe: async (channel, listener) => sub.subscribe(channel, listener) },
      key,
      () => update(),
    );
    const flowing = () => pub.isReady && sub.isReady && link.flowing();
    const update = () => this.status?.set(flowing() ? 'ok' : 'degraded');
    for (const client of [pub, sub]) {
      client.on('error', (err: Error) => {
        // One line per kind of failure, not one per reconnect attempt.
        if (err.message !== this.lastError) this.logger.error(`redis: ${err.message}`);
        this.lastError = err.message;
        update();
      });
      client.on('ready', () => {
        this.lastError = '';
        link.reopened();
        // An echo across the fresh connection, even while stalled: what confirms it.
        if (client === sub) link.listen();
        else link.send();
        update();
      });
      client.on('end', update);
      client.on('reconnecting', update);
    }
    const safePublish = (channel: string, message: string): Promise<number> => {
      if (!flowing()) {
        update();
        return Promise.resolve(0);
      }
      return publish(channel, message).catch((err: Error) => {
        // One line per kind of failure: a full queue fails every publish until the link is
        // found stalled.
        if (err.message !== this.lastError)
          this.logger.warn(`redis publish failed: ${err.message}`);
        this.lastError = err.message;
        update();
        return 0;
      });
    };
    (pub as unknown as { publish: typeof safePublish }).publish = safePublish;
    handleFailures(sub, ['subscribe', 'pSubscribe', 'unsubscribe', 'pUnsubscribe']);
    this.status?.set('degraded');
    for (const client of [pub, sub])
      client.connect().catch((err: Error) => this.logger.error(`redis: ${err.message}`));
    this.redisClients = [pub, sub];
    this.redisAdapter = createAdapter(pub, sub, { key });
    link.start(() => pub.isReady);
    this.redisLink = link;
    this.logger.log('Socket.IO rooms shared through Redis (joining in the background)');
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const allowList = this.config.ALLOWED_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    const server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
      perMessageDeflate: false,
      cors: allowList.length > 0 ? { origin: allowList } : undefined,
      allowRequest: (
        req: IncomingMessage,
        callback: (err: string | null, success: boolean) => void,
      ) => {
        // Past the drain no socket starts here: one opened on a connection kept alive would
        // hold the closing server open (stopServing); the client reconnects, elsewhere.
        if (this.shutdown?.refusing) return callback('server shutting down', false);
        const ok = originAllowed(req, allowList, this.trustProxy);
        callback(ok ? null : 'origin not allowed', ok);
      },
    }) as Server;
    // Socket.IO has no `trust proxy`: its handshake.address is the proxy's. Rewrite the engine
    // connection's address with Express's own rule (proxy-addr over X-Forwarded-For) before any
    // namespace builds a handshake from it, so audit rows of socket actions name the client.
    server.engine.on(
      'connection',
      (conn: EngineConnection & { request: IncomingMessage; remoteAddress: string }) => {
        conn.remoteAddress = proxyAddr(conn.request, this.trustProxy);
        corkFlushes(conn);
      },
    );
    if (this.redisAdapter) server.adapter(this.redisAdapter);
    this.servers.push(server);
    return server;
  }

  /**
   * Nest's IoAdapter binds each message handler of each socket through an rxjs pipeline
   * (fromEvent, mergeMap, takeUntil the disconnect): for our seven handlers about 30 KB of
   * subscribers and closures per connected socket, most of what an idle socket costs (issue 15,
   * heap snapshots of 1,000 idle sockets). Here each message name has one listener shared by every
   * socket (Socket.IO calls it with the socket as `this`), which finds the socket's own handler in
   * one array per socket of the callbacks Nest bound to it: no closure, context or handler object
   * per handler per socket (heap snapshots of 3,000 idle sockets: 14.9 -> 14.3 KB per socket, the
   * bare relay's 12.1). The handler runs on the message, and what it returns (ours
   * answer through their ack and return nothing) goes out as IoAdapter sends it, unless the socket
   * is gone by then (what takeUntil the disconnect did).
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: WsMessageHandler[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    const bound: BoundHandlers = [transform as WsMessageHandler['callback']];
    for (const { message, callback, isAckHandledManually } of handlers) {
      const slot = this.slotOf(message, isAckHandledManually);
      bound[slot.index] = callback;
      socket.on(message, slot.listener);
    }
    this.bound.set(socket, bound);
  }

  private slotOf(message: string, isAckHandledManually: boolean): MessageSlot {
    const known = this.slots.get(message);
    if (known) return known;
    const dispatch = (socket: Socket, args: unknown[]): void => this.dispatch(socket, slot, args);
    const slot: MessageSlot = {
      message,
      index: this.slots.size + 1,
      isAckHandledManually,
      listener: function (this: Socket, ...args: unknown[]): void {
        dispatch(this, args);
      },
    };
    this.slots.set(message, slot);
    return slot;
  }

  private dispatch(socket: Socket, slot: MessageSlot, args: unknown[]): void {
    const bound = this.bound.get(socket);
    const callback = bound?.[slot.index];
    if (!bound || !callback) return;
    const transform = bound[0] as (data: unknown) => Observable<unknown>;
    const { message, isAckHandledManually } = slot;
    // As rxjs's fromEvent hands IoAdapter's mapPayload: the one argument, or all of them.
    const { data, ack } = this.mapPayload(args.length > 1 ? args : args[0]) as {
      data: unknown;
      ack?: unknown;
    };
    transform(callback(data, ack)).subscribe({
      next: (response) => {
        if (response === null || response === undefined || socket.disconnected) return;
        const reply = response as { event?: string; data?: unknown };
        if (reply.event) socket.emit(reply.event, reply.data);
        else if (!isAckHandledManually && typeof ack === 'function')
          (ack as (value: unknown) => void)(response);
      },
      error: (err: Error) => this.logger.error(`${message} handler failed: ${err.message}`),
    });
  }

  /** Sockets on this instance by role (devices as `device`), read when metrics are scraped. */
  socketsByRole(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const server of this.servers) {
      for (const [, nsp] of server._nsps) {
        for (const [, socket] of nsp.sockets) {
          const data = socket.data as { user?: { role?: string }; device?: unknown };
          const role = data.user?.role ?? (data.device ? 'device' : 'unauthenticated');
          counts[role] = (counts[role] ?? 0) + 1;
        }
      }
    }
    return counts;
  }

  override async close(server: Server): Promise<void> {
    this.servers = this.servers.filter((s) => s !== server);
    await super.close(server);
    this.redisLink?.stop();
    this.redisLink = null;
    const clients = this.redisClients;
    this.redisClients = [];
    await Promise.all(
      clients.map(async (c) => {
        // Graceful when Redis answers; when it is the thing that is down, stop reconnecting.
        const quit = c.isReady
          ? c.quit().then(
              () => true,
              () => false,
            )
          : Promise.resolve(false);
        const done = await Promise.race([quit, new Promise((r) => setTimeout(r, 1000, false))]);
        if (!done && c.isOpen) c.destroy();
      }),
    );
  }
}
