import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

/** A failure this old no longer counts: the count starts again. */
const FORGET_AFTER_MS = 15 * 60_000;
const MAX_LOCK_MS = 15 * 60_000;

/**
 * Backoff on wrong passwords per (account, client address), in the database so every instance
 * and a restart see it. Keyed on both, so someone guessing from one address slows only
 * themselves: the account's owner elsewhere signs in as usual, which a per-account limit could
 * not promise. After LOGIN_FREE_FAILURES failures each further one doubles a lock (1 s, 2 s, 4 s,
 * ... at most 15 min). A success clears that pair; a supervisor can clear an account.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Milliseconds this client must still wait before trying this account again (0: go ahead). */
  async lockedFor(account: string, client: string): Promise<number> {
    const rows: Array<{ locked_until: Date | null }> = await this.dataSource.query(
      `SELECT locked_until FROM login_throttle WHERE account = $1 AND client = $2`,
      [account, client],
    );
    const until = rows[0]?.locked_until?.getTime() ?? 0;
    return Math.max(0, until - this.clock.now().getTime());
  }

  /** Records a failure; returns the lock it starts (0 while still within the free failures). */
  async failed(account: string, client: string): Promise<{ lockMs: number; failures: number }> {
    const now = this.clock.now();
    const rows: Array<{ failures: number }> = await this.dataSource.query(
      `INSERT INTO login_throttle (account, client, failures, updated_at) VALUES ($1, $2, 1, $3)
       ON CONFLICT (account, client) DO UPDATE SET
         failures = CASE WHEN login_throttle.updated_at < $4 THEN 1
                         ELSE login_throttle.failures + 1 END,
         updated_at = $3
       RETURNING failures`,
      [account, client, now, new Date(now.getTime() - FORGET_AFTER_MS)],
    );
    const failures = rows[0].failures;
    const over = failures - this.config.LOGIN_FREE_FAILURES - 1;
    if (over < 0) return { lockMs: 0, failures };
    const lockMs = Math.min(MAX_LOCK_MS, 1000 * 2 ** Math.min(over, 20));
    await this.dataSource.query(
      `UPDATE login_throttle SET locked_until = $3 WHERE account = $1 AND client = $2`,
      [account, client, new Date(now.getTime() + lockMs)],
    );
    return { lockMs, failures };
  }

  async succeeded(account: string, client: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_throttle WHERE account = $1 AND client = $2`, [
      account,
      client,
    ]);
  }

  /** Clears every lockout of an account; returns the client addresses that were locked. */
  async clear(account: string): Promise<string[]> {
    const [rows] = await this.dataSource.query<
      [Array<{ client: string; locked_until: Date | null }>, number]
    >(`DELETE FROM login_throttle WHERE account = $1 RETURNING client, locked_until`, [account]);
    return rows.filter((r) => r.locked_until !== null).map((r) => r.client);
  }
}
