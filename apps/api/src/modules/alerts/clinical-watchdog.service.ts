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
import { evaluateAt, type AlertEngineState } from '@vigil/clinical';
import { CLOCK, ManualClock, type Clock } from '../../common/clock';
import { ProtocolsService } from '../protocols/protocols.service';
import { planAlertChanges } from './alert-plan';
import { AlertProcessor } from './alert-processor';
import { ALERT_COLUMNS, FOREIGN_CONDITIONS, type AlertRow } from './alerts.repository';

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

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly processor: AlertProcessor,
    private readonly protocols: ProtocolsService,
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
      .catch((err: Error) => this.logger.error(`watchdog tick failed: ${err.message}`))
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
    return { checked: due.checked, processed, skipped };
  }

  /** Sessions where something would change now, judged without locks (re-judged under lock). */
  private async findDue(now: Date): Promise<{ checked: number; ids: string[] }> {
    const sessions: Array<{
      id: string;
      protocol_id: string;
      head_seq: string;
      last_seq: string | null;
      engine: AlertEngineState | null;
    }> = await this.dataSource.query(
      `WITH ids AS (
         SELECT id FROM sessions WHERE state = ANY($1::text[])
         UNION
         SELECT session_id FROM alerts WHERE status = 'open' AND priority IN ('high', 'medium'))
       SELECT s.id, s.protocol_id, s.head_seq, st.last_seq, st.state AS engine
         FROM ids JOIN sessions s ON s.id = ids.id
         LEFT JOIN session_alert_state st ON st.session_id = s.id`,
      [LIVE_STATES],
    );
    if (sessions.length === 0) return { checked: 0, ids: [] };
    const alerts: AlertRow[] = await this.dataSource.query(
      `SELECT ${ALERT_COLUMNS} FROM alerts
        WHERE status <> 'resolved' AND session_id = ANY($1::uuid[]) AND condition <> ALL($2::text[])
        ORDER BY raised_at, id`,
      [sessions.map((s) => s.id), FOREIGN_CONDITIONS],
    );
    const openBySession = new Map<string, AlertRow[]>();
    for (const alert of alerts) {
      const list = openBySession.get(alert.session_id) ?? [];
      list.push(alert);
      openBySession.set(alert.session_id, list);
    }
    const ids: string[] = [];
    for (const s of sessions) {
      if (!s.engine || s.last_seq === null || Number(s.last_seq) < Number(s.head_seq)) {
        ids.push(s.id);
        continue;
      }
      const protocol = await this.protocols.document(s.protocol_id);
      if (!protocol) continue;
      const present = evaluateAt(s.engine, now, protocol).conditions.filter(
        (c) => !FOREIGN_CONDITIONS.includes(c.condition),
      );
      const open = openBySession.get(s.id) ?? [];
      if (planAlertChanges(open, present, now, protocol, () => 'probe').length > 0) ids.push(s.id);
    }
    return { checked: sessions.length, ids };
  }
}
