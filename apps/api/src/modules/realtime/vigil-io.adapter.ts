import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import { createClient } from 'redis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../../config/config.schema';

export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

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
 * Socket.IO server settings that the gateway decorator cannot take from config: the origin
 * allow-list, the 64 KB message cap, no per-message deflate (CPU), and, with REDIS_URL, the Redis
 * adapter so rooms span every API instance.
 */
export class VigilIoAdapter extends IoAdapter {
  private readonly logger = new Logger('Realtime');
  private redisClients: Array<ReturnType<typeof createClient>> = [];
  private redisAdapter: ReturnType<typeof createAdapter> | null = null;
  private servers: Server[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly trustProxy: TrustProxy = trustNone,
  ) {
    super(app);
  }

  async connectRedis(): Promise<void> {
    if (!this.config.REDIS_URL) return;
    const pub = createClient({ url: this.config.REDIS_URL });
    const sub = pub.duplicate();
    for (const client of [pub, sub])
      client.on('error', (err: Error) => this.logger.error(`redis: ${err.message}`));
    await Promise.all([pub.connect(), sub.connect()]);
    this.redisClients = [pub, sub];
    this.redisAdapter = createAdapter(pub, sub, { key: 'vigil' });
    this.logger.log('Socket.IO rooms shared through Redis');
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
        const ok = originAllowed(req, allowList, this.trustProxy);
        callback(ok ? null : 'origin not allowed', ok);
      },
    }) as Server;
    // Socket.IO has no `trust proxy`: its handshake.address is the proxy's. Rewrite the engine
    // connection's address with Express's own rule (proxy-addr over X-Forwarded-For) before any
    // namespace builds a handshake from it, so audit rows of socket actions name the client.
    server.engine.on('connection', (conn: { request: IncomingMessage; remoteAddress: string }) => {
      conn.remoteAddress = proxyAddr(conn.request, this.trustProxy);
    });
    if (this.redisAdapter) server.adapter(this.redisAdapter);
    this.servers.push(server);
    return server;
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
    const clients = this.redisClients;
    this.redisClients = [];
    await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
  }
}
