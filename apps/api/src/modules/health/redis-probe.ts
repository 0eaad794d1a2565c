import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createClient } from 'redis';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

/**
 * PINGs Redis on a client of its own when REDIS_URL is set (the Socket.IO adapter's clients are
 * busy with pub/sub). Commands fail at once while disconnected instead of queueing, so a dead
 * Redis reads as down within the probe's timeout.
 */
const CONNECT_TIMEOUT_MS = 2000;
/**
 * A PING unanswered this long: the client is dropped and the next probe opens a new one. A
 * connection that will never answer again (a NAT that forgot it, a Redis host replaced without a
 * reset) stays open and "ready" until the kernel gives up, 15 minutes on: readiness's details
 * would say Redis was down for all that time after it came back.
 */
export const REDIS_PING_REPLACE_MS = 2000;

@Injectable()
export class RedisProbe implements OnModuleDestroy {
  private client: ReturnType<typeof createClient> | null = null;
  private connecting: Promise<unknown> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get configured(): boolean {
    return Boolean(this.config.REDIS_URL);
  }

  async ping(): Promise<void> {
    if (!this.config.REDIS_URL) return;
    if (!this.client) {
      this.client = createClient({
        url: this.config.REDIS_URL,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: CONNECT_TIMEOUT_MS,
          reconnectStrategy: (retries) => Math.min(retries * 200, 2000),
        },
      });
      // Reconnection is the client's job; the failed PING below is what reports the outage.
      this.client.on('error', () => undefined);
      // connect() keeps retrying (and stays pending) while Redis is away: never await it alone.
      this.connecting = this.client.connect().catch(() => undefined);
    }
    if (!this.client.isReady) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.connecting,
        new Promise((resolve) => (timer = setTimeout(resolve, CONNECT_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
      if (!this.client.isReady) throw new Error('not connected');
    }
    const client = this.client;
    const timer = setTimeout(() => this.drop(client), REDIS_PING_REPLACE_MS);
    try {
      await client.ping();
    } finally {
      clearTimeout(timer);
    }
  }

  private drop(client: ReturnType<typeof createClient>): void {
    if (this.client !== client) return;
    this.client = null;
    this.connecting = null;
    client.destroy(); // rejects the PING still waiting
  }

  onModuleDestroy(): void {
    this.client?.destroy();
    this.client = null;
  }
}
