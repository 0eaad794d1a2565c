import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Socket } from 'node:net';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { VigilMetrics } from '../metrics/vigil-metrics';
import { DatabaseProbe, socketOf } from './database-probe';

/**
 * A pooled connection that has waited this long for an answer is looked at: if its backend is not
 * working on anything, the request or its answer was lost on the way and will never come.
 */
export const CONNECTION_DEAD_AFTER_MS = 10_000;

/**
 * A backend that will not answer a connection waiting on it: gone from pg_stat_activity, or idle
 * (in a transaction or not). `active` is working on it; null (a backend this role may not see)
 * and anything else are given the benefit of the doubt.
 */
const notAnswering = (state: string | null | undefined): boolean =>
  state === undefined || (state !== null && state.startsWith('idle'));

interface Watched {
  readonly socket: Socket;
  readonly pid: number;
  /** `socket.bytesWritten` when it last read: more since is a request waiting for its answer. */
  writtenAtLastRead: number;
  /** When a sweep first found it waiting; null while it is not. */
  waitingSince: number | null;
  /** When an answer last came on it (or it opened). */
  lastReadAt: number;
}

/**
 * Replaces the app pool's connections that will never answer again. A NAT or firewall that forgot
 * them, or a database host replaced without a reset (a managed failover), leaves them open: a
 * statement sent on one waits until the kernel gives up, about 15 minutes, and as the pool hands
 * them out every append and read hangs with them, while a new connection would work at once
 * (`npm run test:faults`, "PostgreSQL connections forgotten": nothing was stored again within
 * 95 s). pg has no such check (its `query_timeout` leaves the connection busy; TCP keepalive
 * covers idle connections only, after minutes), so each sweep here finds the connections that
 * have waited CONNECTION_DEAD_AFTER_MS for an answer and asks the database, on the health
 * probe's own connection, what their backends are doing. A backend that is gone, or idle while
 * its connection waits, is not going to answer: that socket is destroyed, the statement fails
 * (an append's phone sends it again with the same clientId) and the pool opens a new one. A
 * backend that is active (a long read, a wait on a lock) is left alone, and so is everything while
 * the probe gets no answer either: that is a stall, which ends on the same connections.
 */
@Injectable()
export class PoolDoctor {
  private readonly logger = new Logger('PoolDoctor');
  private readonly watched = new Map<Socket, Watched>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly probe: DatabaseProbe,
    @Optional() private readonly metrics?: VigilMetrics,
  ) {
    const pool = (dataSource.driver as unknown as { master?: Pool }).master;
    if (!pool) return;
    pool.on('connect', (client) => this.watch(client));
    // The connections opened before this was built (TypeORM's start-up queries): pg-pool has no
    // public list of its clients.
    for (const client of (pool as unknown as { _clients?: PoolClient[] })._clients ?? [])
      this.watch(client);
  }

  /** Pooled connections it follows (open ones). */
  get size(): number {
    return this.watched.size;
  }

  /** One look at every connection; returns how many it replaced. */
  async sweep(): Promise<number> {
    const now = Date.now();
    const suspects: Watched[] = [];
    for (const w of this.watched.values()) {
      if (w.socket.destroyed) {
        this.watched.delete(w.socket);
        continue;
      }
      if (w.socket.bytesWritten <= w.writtenAtLastRead) {
        w.waitingSince = null;
        continue;
      }
      w.waitingSince ??= now;
      if (now - w.waitingSince >= CONNECTION_DEAD_AFTER_MS) suspects.push(w);
    }
    if (suspects.length === 0) return 0;
    const states = await this.probe.backendStates(suspects.map((w) => w.pid));
    if (!states) return 0; // the database does not answer the probe either: a stall
    const dead = suspects.filter(
      (w) => notAnswering(states.get(w.pid)) && w.socket.bytesWritten > w.writtenAtLastRead,
    );
    if (dead.length === 0) return 0;
    // What lost these lost the idle connections of the same age too (their backends look idle
    // either way): each would hang the next statement it is given for another sweep. So every
    // connection with no answer since the first of these began to wait goes with them; the pool
    // opens new ones as it needs them.
    const faultSince = Math.min(...dead.map((w) => w.waitingSince!));
    const stale = [...this.watched.values()].filter(
      (w) => !dead.includes(w) && w.lastReadAt < faultSince && w.waitingSince === null,
    );
    for (const w of [...dead, ...stale]) {
      this.watched.delete(w.socket);
      w.socket.destroy(new Error('no answer on this connection: replaced by a new one'));
    }
    this.metrics?.databaseConnectionsReplaced.inc({ how: 'waiting' }, dead.length);
    this.metrics?.databaseConnectionsReplaced.inc({ how: 'idle' }, stale.length);
    this.logger.warn(
      `replaced ${dead.length} database connection(s) that would never answer and ${stale.length} idle since`,
    );
    return dead.length + stale.length;
  }

  private watch(client: PoolClient): void {
    const socket = socketOf(client);
    if (!socket || this.watched.has(socket)) return;
    const w: Watched = {
      socket,
      pid: (client as unknown as { processID: number }).processID,
      writtenAtLastRead: socket.bytesWritten,
      waitingSince: null,
      lastReadAt: Date.now(),
    };
    this.watched.set(socket, w);
    socket.on('data', () => {
      w.writtenAtLastRead = socket.bytesWritten;
      w.waitingSince = null;
      w.lastReadAt = Date.now();
    });
    socket.once('close', () => this.watched.delete(socket));
  }
}
