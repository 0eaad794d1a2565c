import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createServer, type Server } from 'node:http';
import { setImmediate } from 'node:timers/promises';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import {
  countAlertEscalations,
  countOpenAlertsByPriority,
  readAlertEngineLag,
} from './metrics.repository';

type Outcome = 'appended' | 'duplicate' | 'conflict' | 'not_live' | 'not_found' | 'error' | 'busy';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * How long a scrape waits for a figure read from the database before it answers without it. A
 * scrape used to wait for every figure, so while PostgreSQL did not answer (`npm run test:faults`,
 * "PostgreSQL stalls") it hung with it, and Prometheus, giving up at its scrape timeout, recorded
 * nothing: not the pool's waiting callers, the event loop or the sockets, the figures an operator
 * needs then.
 */
export const DATABASE_FIGURE_TIMEOUT_MS = 2000;

const LATE = Symbol('late');

/**
 * Prometheus metrics (prom-client) on a port of their own (METRICS_PORT), never on the public
 * one: the proxy and the TLS edge do not route to it. The hot path only bumps counters and
 * observes histograms (a few nanoseconds); everything read from the database or the socket
 * server is read when Prometheus scrapes, one small query each (metrics.repository.ts).
 *
 * Not @willsoto/nestjs-prometheus: it mounts /metrics on the app's own HTTP server, which the
 * proxy makes public; a separate listener is the point.
 */
@Injectable()
export class VigilMetrics implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;
  private socketsByRole: () => Record<string, number> = () => ({});
  private watchdogLastTick: () => Date | null = () => null;
  private crossInstanceDegraded: () => boolean = () => false;
  /** Database reads not answered yet, by figure: a later scrape waits for the same one. */
  private readonly reading = new Map<string, Promise<unknown>>();

  readonly submissions = this.counter(
    'vigil_submissions_total',
    'Patient submissions (check-ins, vitals, help) by outcome once their group committed',
    ['outcome'],
  );
  readonly ackLatency = this.histogram(
    'vigil_submission_ack_seconds',
    'From a submission entering the group-commit queue to its commit (what its ack waits)',
    // Fine around the ack's 50 ms budget (issue 15), where 25 and 50 alone could not say which.
    [0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5],
  );
  readonly refusals = this.counter(
    'vigil_submissions_refused_total',
    'Submissions refused `unavailable` before any work, by why (backlog, event_loop) and class (priority, routine: help and urgent are never refused)',
    ['reason', 'kind'],
  );
  readonly databaseUnanswered = this.counter(
    'vigil_metrics_database_unanswered_total',
    `Scrapes that answered without a figure read from the database (not answered within ${DATABASE_FIGURE_TIMEOUT_MS} ms, or failed), by figure`,
    ['figure'],
  );
  readonly revokedByRecheck = this.counter(
    'vigil_live_access_revoked_by_recheck_total',
    'Live sockets ended (socket) and clinician watches stopped (watch) by the periodic access re-check: revocations this instance was never told of (a cross-instance message lost)',
    ['what'],
  );
  readonly databaseConnectionsReplaced = this.counter(
    'vigil_database_connections_replaced_total',
    'Pooled database connections closed because they would never answer again (a NAT or firewall that forgot them, a failover without a reset): waiting, or idle as long',
    ['how'],
  );
  readonly batchSize = this.histogram(
    'vigil_group_commit_batch_size',
    'Submissions per group-commit transaction',
    [1, 2, 5, 10, 20, 50, 100, 200, 500],
  );

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_' });
    // Zero from the start, so a rate or an increase has a series before the first revocation.
    for (const what of ['socket', 'watch'] as const) this.revokedByRecheck.inc({ what }, 0);
    for (const how of ['waiting', 'idle'] as const)
      this.databaseConnectionsReplaced.inc({ how }, 0);
    this.gaugeBy(
      'vigil_sockets_connected',
      'Sockets connected to /live on this instance, by role',
      'role',
      () => this.socketsByRole(),
    );
    this.gauge(
      'vigil_cross_instance_degraded',
      "1 while this instance's events do not reach the other instances through Redis (down, or no echo for 5 s): they arrive there by the head sweep, seconds late; 0 otherwise or with one instance",
      () => (this.crossInstanceDegraded() ? 1 : 0),
    );
    this.gauge(
      'vigil_watchdog_last_tick_age_seconds',
      'Seconds since the clinical watchdog last completed a tick (readiness fails past 10)',
      () => {
        const last = this.watchdogLastTick();
        return last ? (Date.now() - last.getTime()) / 1000 : -1;
      },
    );
    this.gauge(
      'vigil_alert_engine_lag_events',
      'Events committed to live sessions but not yet evaluated by the alert engine (NaN: the database did not answer in time)',
      () => this.fromDatabase('alert_engine_lag', () => readAlertEngineLag(this.dataSource)),
    );
    this.gaugeBy(
      'vigil_alerts_open',
      'Alerts not yet resolved, by priority (none: the database did not answer in time)',
      'priority',
      async () => {
        const rows = await this.fromDatabase('alerts_open', () =>
          countOpenAlertsByPriority(this.dataSource),
        );
        return Object.fromEntries((rows ?? []).map((r) => [r.priority, r.count]));
      },
    );
    this.gauge(
      'vigil_alert_escalations',
      'Escalations and reminders sent for alerts, all time (rate() it for a rate; NaN: the database did not answer in time)',
      () => this.fromDatabase('alert_escalations', () => countAlertEscalations(this.dataSource)),
    );
    this.gaugeBy(
      'vigil_pg_pool_connections',
      "The API's PostgreSQL pool on this instance: total, idle, and callers waiting",
      'state',
      (): Record<string, number> => {
        const pool = (this.dataSource.driver as unknown as { master?: PgPool }).master;
        if (!pool) return {};
        return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
      },
    );
  }

  /**
   * A figure read from the database, or null when it did not answer within
   * DATABASE_FIGURE_TIMEOUT_MS (or failed): the scrape answers without it. A read still unanswered
   * from an earlier scrape is waited for again, not queued twice, so a stalled database does not
   * gather a read per scrape in front of the pool.
   *
   * The read starts once the scrape's other figures are read: pg-pool queues every caller, even
   * one it has an idle connection for, until its next tick, so reads started in the same pass
   * showed in the pool's own figure as callers waiting (3 on an idle pool, every scrape).
   */
  private async fromDatabase<T>(figure: string, read: () => Promise<T>): Promise<T | null> {
    await setImmediate();
    let pending = this.reading.get(figure) as Promise<T> | undefined;
    if (!pending) {
      pending = read().finally(() => this.reading.delete(figure));
      this.reading.set(figure, pending);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(resolve, DATABASE_FIGURE_TIMEOUT_MS, LATE);
    });
    try {
      const value = await Promise.race([pending, late]);
      if (value !== LATE) return value;
      this.logger.warn(
        `${figure}: the database did not answer within ${DATABASE_FIGURE_TIMEOUT_MS} ms`,
      );
    } catch (err) {
      this.logger.warn(`${figure}: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    this.databaseUnanswered.inc({ figure });
    return null;
  }

  /** A gauge whose one value is read when Prometheus scrapes (NaN when it could not be read). */
  private gauge(
    name: string,
    help: string,
    read: () => number | null | Promise<number | null>,
  ): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set((await read()) ?? NaN);
      },
    });
  }

  /** A gauge read when Prometheus scrapes, one value per label value (only those read now). */
  private gaugeBy(
    name: string,
    help: string,
    label: string,
    read: () => Record<string, number> | Promise<Record<string, number>>,
  ): void {
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [this.registry],
      async collect() {
        const values = await read();
        this.reset();
        for (const [value, n] of Object.entries(values)) this.set({ [label]: value }, n);
      },
    });
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[]) {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  private histogram(name: string, help: string, buckets: number[]) {
    return new Histogram({ name, help, buckets, registers: [this.registry] });
  }

  /** The socket server, counted by role at scrape time (set once the adapter exists). */
  countSockets(socketsByRole: () => Record<string, number>): void {
    this.socketsByRole = socketsByRole;
  }

  /** Whether cross-instance delivery is degraded, read at scrape time (set once at boot). */
  readCrossInstance(degraded: () => boolean): void {
    this.crossInstanceDegraded = degraded;
  }

  /** The clinical watchdog's last completed tick, read at scrape time (set once at boot). */
  readWatchdog(lastTick: () => Date | null): void {
    this.watchdogLastTick = lastTick;
  }

  /** Records one committed group: its size, each member's outcome and time in the queue. */
  committed(outcomes: Array<{ outcome: Outcome; queuedAt: number }>, now: number): void {
    this.batchSize.observe(outcomes.length);
    for (const o of outcomes) {
      this.submissions.inc({ outcome: o.outcome });
      this.ackLatency.observe((now - o.queuedAt) / 1000);
    }
  }

  /** Submissions answered "busy" without a commit (the queue was past its wait bound). */
  shed(count: number): void {
    this.submissions.inc({ outcome: 'busy' }, count);
  }

  /** A submission refused at the door (admission control): nothing was done for it. */
  refused(reason: 'backlog' | 'event_loop', kind: string): void {
    this.refusals.inc({ reason, kind });
  }

  listen(port: number, host: string): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (err: Error) => {
          this.logger.error(`metrics failed: ${err.message}`);
          res.writeHead(500).end();
        },
      );
    });
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => {
        this.logger.log(`metrics on http://${host}:${port}/metrics`);
        resolve();
      });
    });
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
