import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { DATABASE_URL } from '../../config/app-config';

const PROBE_TIMEOUT_MS = 2000;

/**
 * Asks PostgreSQL "are you there?" on a connection of its own, outside the app's pool: under load
 * every pooled connection can be busy for a while, and a probe queued behind them would report a
 * busy database as a dead one (and take a working instance out of the load balancer).
 */
@Injectable()
export class DatabaseProbe implements OnModuleDestroy {
  private readonly pool: Pool;

  constructor(
    @Inject(DATABASE_URL) url: string,
    @InjectDataSource() private readonly dataSource?: DataSource,
  ) {
    this.pool = new Pool({
      connectionString: url,
      max: 1,
      idleTimeoutMillis: 60_000,
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
      statement_timeout: PROBE_TIMEOUT_MS,
      application_name: 'vigil-health',
    });
    // An idle probe connection that the server drops must not crash the process.
    this.pool.on('error', () => undefined);
  }

  /** Resolves when the database answers, rejects when it does not (within about 2 s). */
  async ping(): Promise<void> {
    // The server answering is not enough if the app's own pool has been closed.
    if (this.dataSource && !this.dataSource.isInitialized) throw new Error('app pool closed');
    await this.pool.query('SELECT 1');
  }

  /** ping() as a boolean that never waits past the timeout. */
  async isUp(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS + 500);
    });
    try {
      return await Promise.race([
        this.ping().then(
          () => true,
          () => false,
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
