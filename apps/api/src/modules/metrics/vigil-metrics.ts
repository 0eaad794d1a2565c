import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import {
  countAlertEscalations,
  countOpenAlertsByPriority,
  readAlertEngineLag,
} from './metrics.repository';

type Outcome = 'appended' | 'duplicate' | 'conflict' | 'not_found' | 'error' | 'busy';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

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

  readonly submissions = new Counter({
    name: 'vigil_submissions_total',
    help: 'Patient submissions (check-ins, vitals, help) by outcome once their group committed',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly ackLatency = new Histogram({
    name: 'vigil_submission_ack_seconds',
    help: 'From a submission entering the group-commit queue to its commit (what its ack waits)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly refusals = new Counter({
    name: 'vigil_submissions_refused_total',
    help: 'Submissions refused `unavailable` before any work, by why (backlog, event_loop) and class (priority, routine: help and urgent are never refused)',
    labelNames: ['reason', 'kind'] as const,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'vigil_group_commit_batch_size',
    help: 'Submissions per group-commit transaction',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [this.registry],
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_' });
    this.gaugeBy(
      'vigil_sockets_connected',
      'Sockets connected to /live on this instance, by role',
      'role',
      () => this.socketsByRole(),
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
      'Events committed to live sessions but not yet evaluated by the alert engine',
      () => readAlertEngineLag(this.dataSource),
    );
    this.gaugeBy(
      'vigil_alerts_open',
      'Alerts not yet resolved, by priority',
      'priority',
      async () =>
        Object.fromEntries(
          (await countOpenAlertsByPriority(this.dataSource)).map((r) => [r.priority, r.count]),
        ),
    );
    this.gauge(
      'vigil_alert_escalations',
      'Escalations and reminders sent for alerts, all time (rate() it for a rate)',
      () => countAlertEscalations(this.dataSource),
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

  /** A gauge whose one value is read when Prometheus scrapes. */
  private gauge(name: string, help: string, read: () => number | Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
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

  /** The socket server, counted by role at scrape time (set once the adapter exists). */
  countSockets(socketsByRole: () => Record<string, number>): void {
    this.socketsByRole = socketsByRole;
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
