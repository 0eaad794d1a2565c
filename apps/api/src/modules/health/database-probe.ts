import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Socket } from 'node:net';
import { Pool, type PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { DATABASE_URL } from '../../config/app-config';

const PROBE_TIMEOUT_MS = 2000;

/**
 * A pg client's socket. pg keeps it on `client.connection.stream` and offers no public way to end a
 * connection that will never answer (`end()` waits for the server's goodbye).
 */
export function socketOf(client: PoolClient): Socket | undefined {
  return (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
}

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
    this.pool.on('connect', (client) => (this.client = client));
  }

  /** The probe's connection, to drop when it does not answer (see `isUp`). */
  private client: PoolClient | null = null;

  /** Resolves when the database answers, rejects when it does not (within about 2 s). */
  async ping(): Promise<void> {
    // The server answering is not enough if the app's own pool has been closed.
    if (this.dataSource && !this.dataSource.isInitialized) throw new Error('app pool closed');
    await this.pool.query('SELECT 1');
  }

  /** ping() as a boolean that never waits past the timeout. */
  async isUp(): Promise<boolean> {
    return (await this.withinTimeout(this.ping().then(() => true))) ?? false;
  }

  /**
   * What the app's own backends `pids` are doing (pg_stat_activity's `state`, null where this role
   * may not see it; a pid missing is a backend gone), or null when the database does not answer
   * within the timeout.
   */
  backendStates(pids: number[]): Promise<Map<number, string | null> | null> {
    return this.withinTimeout(
      this.pool
        .query<{ pid: number; state: string | null }>(
          'SELECT pid, state FROM pg_stat_activity WHERE pid = ANY($1::int[])',
          [pids],
        )
        .then(({ rows }) => new Map(rows.map((r) => [r.pid, r.state]))),
    );
  }

  /**
   * `work`'s result, or null when it fails or does not settle within the probe's timeout. A probe
   * connection that did not answer is dropped, so the next probe asks on a new one (otherwise a
   * connection that will never answer again, see PoolDoctor, would keep the probe failing).
   */
  private async withinTimeout<T>(work: Promise<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => {
        const stuck = this.client && socketOf(this.client);
        if (stuck) stuck.destroy(new Error('health probe: no answer'));
        resolve(null);
      }, PROBE_TIMEOUT_MS + 500);
    });
    try {
      return await Promise.race([work.catch(() => null), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
