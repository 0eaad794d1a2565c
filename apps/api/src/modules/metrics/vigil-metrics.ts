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
    help: 'Submissions refused `unavailable` before any work, by why (backlog, event_loop) and class',
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
    this.gauge({
      name: 'vigil_sockets_connected',
      help: 'Sockets connected to /live on this instance, by role',
      labelNames: ['role'] as const,
      registers: [this.registry],
      collect: (g) => {
        g.reset();
        for (const [role, n] of Object.entries(this.socketsByRole())) g.set({ role }, n);
      },
    });
    this.gauge({
      name: 'vigil_watchdog_last_tick_age_seconds',
      help: 'Seconds since the clinical watchdog last completed a tick (readiness fails past 10)',
      registers: [this.registry],
      collect: (g) => {
        const last = this.watchdogLastTick();
        g.set(last ? (Date.now() - last.getTime()) / 1000 : -1);
      },
    });
    this.gauge({
      name: 'vigil_alert_engine_lag_events',
      help: 'Events committed to live sessions but not yet evaluated by the alert engine',
      registers: [this.registry],
      collect: async (g) => g.set(await readAlertEngineLag(this.dataSource)),
    });
    this.gauge({
      name: 'vigil_alerts_open',
      help: 'Alerts not yet resolved, by priority',
      labelNames: ['priority'] as const,
      registers: [this.registry],
      collect: async (g) => {
        g.reset();
        for (const { priority, count } of await countOpenAlertsByPriority(this.dataSource))
          g.set({ priority }, count);
      },
    });
    this.gauge({
      name: 'vigil_alert_escalations',
      help: 'Escalations and reminders sent for alerts, all time (rate() it for a rate)',
      registers: [this.registry],
      collect: async (g) => g.set(await countAlertEscalations(this.dataSource)),
    });
    this.gauge({
      name: 'vigil_pg_pool_connections',
      help: "The API's PostgreSQL pool on this instance: total, idle, and callers waiting",
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect: (g) => {
        const pool = (this.dataSource.driver as unknown as { master?: PgPool }).master;
        if (!pool) return;
        g.set({ state: 'total' }, pool.totalCount);
        g.set({ state: 'idle' }, pool.idleCount);
        g.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  /** A gauge whose value is read when Prometheus scrapes (`collect` gets the gauge itself). */
  private gauge<L extends string>(config: {
    name: string;
    help: string;
    labelNames?: readonly L[];
    registers: Registry[];
    collect: (g: Gauge<L>) => void | Promise<void>;
  }): void {
    const { collect, ...rest } = config;
    const g: Gauge<L> = new Gauge<L>({ ...rest, collect: () => collect(g) });
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
