import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LIVE_STATES } from '@vigil/contracts';
import { DEFAULT_ORAL_PROTOCOL } from '@vigil/clinical';
import { reportBackgroundFailure } from '../../common/background-interval';
import { ShutdownState } from '../../common/shutdown-state';
import { CLOCK, ManualClock, type Clock } from '../../common/clock';
import { ProtocolsService } from '../protocols/protocols.service';
import { AlertEngineService } from './alert-engine.service';
import { judgeSession, reopenableSince } from './alert-plan';
import { AlertProcessor } from './alert-processor';
import { readHeldAlertsMany, readWatchdogCandidates } from './alerts.repository';

export const WATCHDOG_INTERVAL_MS = 2000;
const BATCH = 200;

export interface WatchdogTickResult {
  /** Sessions looked at (live, or holding an alert that may escalate). */
  checked: number;
  /** Sessions whose alerts changed, or whose unprocessed events were caught up, by this tick. */
  processed: number;
  /** Sessions another worker was processing at that moment (it does the work). */
  skipped: number;
}

/**
 * Time-driven alerts, from database state only: overdue check-ins, holds that mature, escalation
 * of unacknowledged alerts and reminders, and catch-up of events no listener processed (a crash
 * between commit and processing). A cheap unlocked read finds what would change; each such
 * session is then processed under its engine row lock taken with SKIP LOCKED, which re-reads and
 * re-decides, so several instances ticking together do every piece of work exactly once.
 */
@Injectable()
export class ClinicalWatchdogService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ClinicalWatchdogService.name);
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<unknown> | null = null;
  /**
   * Wall-clock time (not the injected clock) of the last tick that completed, read by readiness:
   * a watchdog that has stopped ticking means overdue alerts and escalations stop firing.
   */
  private lastTickAt: Date | null = null;

  get lastSuccessfulTickAt(): Date | null {
    return this.lastTickAt;
  }

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly processor: AlertProcessor,
    private readonly protocols: ProtocolsService,
    private readonly engine: AlertEngineService,
    private readonly shutdown: ShutdownState,
  ) {}

  onModuleInit(): void {
    // A hand-moved clock means a test drives time and calls tick() itself; a wall-clock timer
    // would only add ticks at moments the test did not choose.
    if (this.clock instanceof ManualClock) return;
    this.timer = setInterval(() => this.tickInBackground(), WATCHDOG_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.current;
  }

  private tickInBackground(): void {
    if (this.current) return; // the previous tick is still running: skip, never pile up
    this.current = this.tick()
      .catch((err: Error) =>
        reportBackgroundFailure(this.logger, this.shutdown, `watchdog tick failed: ${err.message}`),
      )
      .finally(() => (this.current = null));
  }

  async tick(): Promise<WatchdogTickResult> {
    const now = this.clock.now();
    const due = await this.findDue(now);
    let processed = 0;
    // Batched like the live path; rows another instance holds are skipped, and it does them.
    for (let i = 0; i < due.ids.length; i += BATCH) {
      processed += (await this.processor.processMany(due.ids.slice(i, i + BATCH), true)).size;
    }
    const skipped = due.ids.length - processed;
    this.lastTickAt = new Date();
    return { checked: due.checked, processed, skipped };
  }

  /** Sessions where something would change now, judged without locks (re-judged under lock). */
  private async findDue(now: Date): Promise<{ checked: number; ids: string[] }> {
    const sessions = await readWatchdogCandidates(this.dataSource.manager, LIVE_STATES);
    if (sessions.length === 0) return { checked: 0, ids: [] };
    const ids = sessions.map((s) => s.id);
    const held = await readHeldAlertsMany(
      this.dataSource.manager,
      ids,
      reopenableSince(now, DEFAULT_ORAL_PROTOCOL),
      false,
    );
    const protocols = await this.protocols.forSessions(
      this.dataSource.manager,
      sessions.map((s) => ({
        sessionId: s.id,
        protocolId: s.protocol_id,
        patientId: s.patient_id,
      })),
    );
    const due: string[] = [];
    for (const s of sessions) {
      // Queued for this instance's engine, which evaluates it at its own `now` when it runs:
      // under load that is most live sessions at any moment (1 Hz readings, a pass every 200 ms
      // or more), and taking them here did each one's pass twice (docs/BENCHMARKS.md). Events
      // committed on another instance are not queued here, and are caught up as before.
      if (this.engine.isQueued(s.id)) continue;
      if (!s.engine || s.last_seq === null || Number(s.last_seq) < Number(s.head_seq)) {
        due.push(s.id);
        continue;
      }
      const protocol = protocols.get(s.id);
      if (!protocol) continue;
      const { changes } = judgeSession(
        s.engine,
        { state: s.state, deviceLastSeenAt: s.device_last_seen_at },
        held.get(s.id) ?? [],
        now,
        protocol,
        () => 'probe',
      );
      if (changes.length > 0) due.push(s.id);
    }
    return { checked: sessions.length, ids: due };
  }
}
