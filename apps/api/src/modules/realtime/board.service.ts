import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { BoardSummary, SessionEvent } from '@vigil/contracts';
import { CLOCK, type Clock } from '../../common/clock';
import type { AuthUser } from '../../common/request-context';
import type { BoardRoute } from './board-delivery';
import { BoardRoutingCache } from './board-routing';
import { backgroundInterval } from '../../common/background-interval';

const FLUSH_INTERVAL_MS = 250;
const PRIORITY_ORDER = ['high', 'medium', 'low', 'info'];

export const SUPERVISOR_BOARD = 'board:supervisors';
export const clinicianBoard = (userId: string) => `board:clinician:${userId}`;

interface Tracked {
  summary: BoardSummary;
  openAlerts: Map<string, string>; // alertId -> priority
  /** Per kind, when the shown reading counts as taken: never later than it reached us. */
  shownAt: Map<string, number>;
}

/**
 * A reading ranks by when it was measured, but never later than its commit: a device clock far
 * ahead (year 9999) must not pin a tile while newer readings arrive. A late upload of an older
 * reading still does not replace a newer one.
 */
export function readingRank(measuredAt: string, committedAt: string): number {
  const measured = Date.parse(measuredAt);
  const committed = Date.parse(committedAt);
  return Number.isNaN(measured) ? committed : Math.min(measured, committed);
}

/**
 * The compact per-session summary behind each tile of the clinicians' live board. Updated
 * from committed events on the instance that committed them, coalesced (a 1 Hz oximeter does
 * not mean 1 Hz board traffic per tile) and sent only to the boards of the clinicians assigned
 * to that patient and to the supervisors.
 */
@Injectable()
export class BoardService implements OnModuleDestroy {
  private readonly logger = new Logger('Board');
  private readonly tracked = new Map<string, Tracked>();
  private readonly dirty = new Set<string>();
  private send: ((routes: BoardRoute[]) => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private readonly routing: BoardRoutingCache;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.routing = new BoardRoutingCache(dataSource);
  }

  static roomsFor(user: AuthUser): string[] {
    if (user.role === 'supervisor') return [SUPERVISOR_BOARD];
    if (user.role === 'clinician') return [clinicianBoard(user.id)];
    return [];
  }

  /** `send` gets each flush whole, so that a board gets its summaries as one batch (v1.3). */
  attach(send: (routes: BoardRoute[]) => void): void {
    this.send = send;
    this.timer = backgroundInterval(FLUSH_INTERVAL_MS, () => this.flush(), this.logger, 'flush');
  }

  /** Stops the flush and waits for one in flight, so it does not run into a closed pool. */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  observe(events: SessionEvent[]): void {
    for (const event of events) {
      const entry = this.entry(event.sessionId);
      const s = entry.summary;
      s.headSeq = Math.max(s.headSeq, event.seq);
      switch (event.type) {
        case 'vitals.recorded':
          for (const r of event.data.readings) {
            const rank = readingRank(r.measuredAt, event.at);
            if (rank < (entry.shownAt.get(r.kind) ?? -Infinity)) continue;
            entry.shownAt.set(r.kind, rank);
            s.latestVitals[r.kind] = { value: r.value, measuredAt: r.measuredAt };
          }
          break;
        case 'checkin.recorded':
          s.lastCheckInAt = event.at;
          break;
        case 'session.state_changed':
          s.state = event.data.to;
          break;
        case 'presence.changed':
          s.presence = event.data.presence;
          break;
        // An update carries the alert's priority now: a rise, or an episode reopened after an
        // auto-resolve (open again on the tile).
        case 'alert.raised':
        case 'alert.updated':
        case 'alert.escalated':
          if (event.data.priority) entry.openAlerts.set(event.data.alertId, event.data.priority);
          break;
        case 'alert.resolved':
          entry.openAlerts.delete(event.data.alertId);
          break;
        // Not on the tile (the session view shows them), or shown once the alert resolves.
        case 'help.requested':
        case 'alert.acknowledged':
        case 'alert.silenced':
        case 'note.added':
        case 'message.sent':
        case 'screening.submitted':
        case 'protocol.overridden':
          break;
      }
      s.openAlertPriority =
        PRIORITY_ORDER.find((p) => [...entry.openAlerts.values()].includes(p)) ?? null;
      this.dirty.add(event.sessionId);
    }
  }

  flush(): Promise<void> {
    if (!this.send || this.dirty.size === 0) return Promise.resolve();
    const ids = [...this.dirty];
    this.dirty.clear();
    const run = this.route(ids).catch((err: unknown) => {
      // A failed read must not leave tiles showing old values as if live: the sessions stay
      // due, so the next flush sends them.
      for (const id of ids) this.dirty.add(id);
      throw err;
    });
    const settled: Promise<void> = run.then(
      () => this.settle(settled),
      () => this.settle(settled),
    );
    this.inFlight = settled;
    return run;
  }

  private settle(flush: Promise<void>): void {
    if (this.inFlight === flush) this.inFlight = null;
  }

  private async route(ids: string[]): Promise<void> {
    if (!this.send) return;
    const rows = await this.routing.read(ids, this.clock.now());
    const routes: BoardRoute[] = [];
    for (const row of rows) {
      const entry = this.tracked.get(row.id);
      if (!entry) continue;
      entry.summary.state = row.state;
      routes.push({
        rooms: [SUPERVISOR_BOARD, ...row.clinicians.map(clinicianBoard)],
        summary: { ...entry.summary, latestVitals: { ...entry.summary.latestVitals } },
      });
      if (row.state === 'ended' || row.state === 'aborted') {
        this.tracked.delete(row.id);
        this.routing.forget(row.id);
      }
    }
    if (routes.length > 0) this.send(routes);
  }

  private entry(sessionId: string): Tracked {
    let entry = this.tracked.get(sessionId);
    if (!entry) {
      entry = {
        summary: {
          sessionId,
          state: 'unknown',
          headSeq: 0,
          latestVitals: {},
          lastCheckInAt: null,
          openAlertPriority: null,
          presence: 'unknown',
        },
        openAlerts: new Map(),
        shownAt: new Map(),
      };
      this.tracked.set(sessionId, entry);
    }
    return entry;
  }
}
