import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SessionEvent } from '@vigil/contracts';
import { CLOCK, type Clock } from '../../common/clock';
import type { AuthUser } from '../../common/request-context';
import type { BoardRoute } from './board-delivery';
import { BoardRoutingCache } from './board-routing';
import { BoardTile } from './board-tile';
import { readBoardSeeds } from './board.repository';
import { backgroundInterval } from '../../common/background-interval';
import { ShutdownState } from '../../common/shutdown-state';
import { InFlight } from '../events/in-flight';

const FLUSH_INTERVAL_MS = 250;

export const SUPERVISOR_BOARD = 'board:supervisors';
export const clinicianBoard = (userId: string) => `board:clinician:${userId}`;

/**
 * The compact per-session summary behind each tile of the clinicians' live board. Sent by the
 * instance that committed the events that changed it, coalesced (a 1 Hz oximeter does not mean
 * 1 Hz board traffic per tile), and only to the boards of the clinicians assigned to that patient
 * and to the supervisors. Each summary is whole (a board replaces the tile with it), so each
 * instance's tiles take in every instance's events and start from the database (`BoardTile`).
 */
@Injectable()
export class BoardService implements OnModuleDestroy {
  private readonly logger = new Logger('Board');
  private readonly tracked = new Map<string, BoardTile>();
  private readonly dirty = new Set<string>();
  private send: ((routes: BoardRoute[]) => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Flushes in progress: shutdown waits for them (see onModuleDestroy). */
  private readonly flushing = new InFlight();
  private readonly routing: BoardRoutingCache;

  constructor(
    @InjectDataSource() private readonly manager: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly shutdown: ShutdownState,
  ) {
    this.routing = new BoardRoutingCache(manager);
  }

  static roomsFor(user: AuthUser): string[] {
    if (user.role === 'supervisor') return [SUPERVISOR_BOARD];
    if (user.role === 'clinician') return [clinicianBoard(user.id)];
    return [];
  }

  /** `send` gets each flush whole, so that a board gets its summaries as one batch (v1.3). */
  attach(send: (routes: BoardRoute[]) => void): void {
    this.send = send;
    this.timer = backgroundInterval(
      FLUSH_INTERVAL_MS,
      () => this.flush(),
      this.logger,
      this.shutdown,
      'flush',
    );
  }

  /** Stops the flush and waits for those in flight, so none runs into a closed pool. */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flushing.settled();
  }

  /** Events this instance committed: its summaries of their sessions are due. */
  observe(events: SessionEvent[]): void {
    for (const event of events) {
      let tile = this.tracked.get(event.sessionId);
      if (!tile) {
        tile = new BoardTile(event.sessionId);
        this.tracked.set(event.sessionId, tile);
      }
      tile.apply(event);
      this.dirty.add(event.sessionId);
    }
  }

  /**
   * Events another instance committed (relayed through Redis): that instance sends their
   * summaries, so a board does not get each one twice; here they only keep this instance's tiles
   * whole for its own next summary. A session not tracked here is left alone: the seed covers
   * it if this instance commits to it later. One ended elsewhere is dropped, unless due.
   */
  observeRelayed(events: SessionEvent[]): void {
    for (const event of events) {
      const tile = this.tracked.get(event.sessionId);
      if (!tile) continue;
      tile.apply(event);
      if (
        event.type === 'session.state_changed' &&
        (event.data.to === 'ended' || event.data.to === 'aborted') &&
        !this.dirty.has(event.sessionId)
      ) {
        this.tracked.delete(event.sessionId);
        this.routing.forget(event.sessionId);
      }
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
    return this.flushing.track(run);
  }

  private async route(ids: string[]): Promise<void> {
    if (!this.send) return;
    const rows = await this.routing.read(ids, this.clock.now());
    await this.seed(rows.map((r) => r.id));
    const routes: BoardRoute[] = [];
    for (const row of rows) {
      const tile = this.tracked.get(row.id);
      if (!tile) continue;
      tile.summary.state = row.state;
      routes.push({
        rooms: [SUPERVISOR_BOARD, ...row.clinicians.map(clinicianBoard)],
        summary: { ...tile.summary, latestVitals: { ...tile.summary.latestVitals } },
      });
      if (row.state === 'ended' || row.state === 'aborted') {
        this.tracked.delete(row.id);
        this.routing.forget(row.id);
      }
    }
    if (routes.length > 0) this.send(routes);
  }

  /**
   * The first summary of a session this instance sends must not start blank: events committed
   * before it began tracking it (before a restart, or on another instance) are read once, for
   * every new session of the flush in one query.
   */
  private async seed(ids: string[]): Promise<void> {
    const unseeded = ids.filter((id) => this.tracked.get(id)?.seeded === false);
    if (unseeded.length === 0) return;
    for (const seed of await readBoardSeeds(this.manager, unseeded))
      this.tracked.get(seed.sessionId)?.seed(seed);
  }
}
