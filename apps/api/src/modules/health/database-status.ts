import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventStore } from '../events/event-store';
import { DatabaseProbe } from './database-probe';
import { PoolDoctor } from './pool-doctor';

export type DatabaseState = 'ok' | 'unavailable';

/** How often the database is asked whether it answers. */
export const DATABASE_CHECK_EVERY_MS = 2000;
/**
 * Probes in a row that must go unanswered before the database counts as unavailable: one probe
 * connection dropped (a `pg_terminate_backend`, a failover's first second) is not an outage a
 * clinician should be told about.
 */
export const DATABASE_FAILURES_TO_REPORT = 2;
/**
 * An append in progress this long counts as a probe unanswered. At twice the pipeline's capacity,
 * admission keeps the ack p99 within a few seconds (docs/BENCHMARKS.md, 2026-12-06); only a
 * stuck store holds one 10 s, and two checks in a row must find it.
 */
export const STORE_STALLED_MS = 10_000;

/**
 * Whether this instance's database answers, asked every DATABASE_CHECK_EVERY_MS on the health
 * probe's own connection (not behind the app's pool), and whether what it is asked to store gets
 * stored: a database that answers the probe while every write waits on a lock (a stuck
 * transaction holding the audit chain's head) stores nothing either (STORE_STALLED_MS). While
 * either holds, nothing a patient sends is stored or shown: the sockets stay connected and the
 * board would look live with nothing arriving, so clinicians' dashboards are told
 * (`server.status`, v1.8) and say so.
 */
@Injectable()
export class DatabaseStatus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('DatabaseStatus');
  private state: DatabaseState = 'ok';
  private since = Date.now();
  private failures = 0;
  /** When the outage now being reported began (see `check`). */
  private firstFailureAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly listeners = new Set<(state: DatabaseState) => void>();

  constructor(
    private readonly probe: DatabaseProbe,
    private readonly store: EventStore,
    private readonly doctor: PoolDoctor,
  ) {}

  onModuleInit(): void {
    this.schedule();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  describe(): { state: DatabaseState; since: string } {
    return { state: this.state, since: new Date(this.since).toISOString() };
  }

  isUnavailable(): boolean {
    return this.state === 'unavailable';
  }

  onChange(listener: (state: DatabaseState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One probe and what it means for the state (the timer calls it; tests may too). */
  async check(): Promise<void> {
    const sentAt = Date.now();
    const answered = await this.probe.isUp();
    const stuckFor = this.store.oldestAppendForMs();
    if (this.stopped) return;
    // The database answers the probe, on its own connection: any of the pool's that will never
    // answer again are replaced now (a stall, where the probe gets no answer either, is left to
    // end).
    if (answered) await this.doctor.sweep();
    if (answered && stuckFor < STORE_STALLED_MS) {
      this.failures = 0;
      this.set('ok', Date.now());
      return;
    }
    // The outage began with the first probe that went unanswered, or with the append that has
    // waited since, not when it was confirmed: what the dashboards say it has not saved since.
    if (this.failures++ === 0) this.firstFailureAt = answered ? Date.now() - stuckFor : sentAt;
    if (this.failures >= DATABASE_FAILURES_TO_REPORT) this.set('unavailable', this.firstFailureAt);
  }

  private set(state: DatabaseState, since: number): void {
    if (state === this.state) return;
    this.since = since;
    this.state = state;
    if (state === 'unavailable') this.logger.warn('the database does not answer or store');
    else this.logger.log('the database answers again');
    for (const l of this.listeners) l(state);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.check()
        .catch((err: Error) => this.logger.error(`database check failed: ${err.message}`))
        .finally(() => this.schedule());
    }, DATABASE_CHECK_EVERY_MS);
    this.timer.unref();
  }
}
