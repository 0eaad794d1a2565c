import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { SessionEventBus } from '../events/session-event-bus';
import { boardPackets, type BoardRoute } from './board-delivery';
import { BoardService } from './board.service';
import { LiveEmitter } from './live-emitter';
import { WatchService } from './watch.service';

/**
 * Fans committed session events out: to this instance's watchers (gapless, per socket), to the
 * board summaries, and to the other instances through the adapter; each instance orders and
 * de-duplicates for its own sockets. Listens to the session event bus; writes through the
 * LiveEmitter. The gateway takes no part: it only routes what clients send.
 */
@Injectable()
export class LiveFanoutListener implements OnModuleInit, OnModuleDestroy {
  private off: (() => void) | null = null;

  constructor(
    private readonly bus: SessionEventBus,
    private readonly watches: WatchService,
    private readonly board: BoardService,
    private readonly emitter: LiveEmitter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Committed events go straight to the delivery engine; WatchService only registers watches.
    const delivery = this.watches.attach(
      (owed) => this.emitter.toWatchers(owed),
      (socketIds, heads) => this.emitter.toSockets(socketIds, 'session.heads', heads),
    );
    // A flush goes to the other instances whole (one message, not one per summary); each writes
    // it to its own board sockets in the form each asked for.
    this.board.attach((routes) => {
      this.deliverBoard(routes);
      if (this.config.REDIS_URL) this.emitter.relay('vigil:board', routes);
    });
    this.off = this.bus.subscribe((events) => {
      delivery.deliver(events);
      this.board.observe(events);
      // Only a shared adapter (Redis) has other instances to tell; the in-memory one warns on
      // every call, which floods a single-instance log.
      if (this.config.REDIS_URL) this.emitter.relay('vigil:events', events);
    });
    this.emitter.onRelay('vigil:events', (events) => {
      delivery.deliver(events);
      this.board.observeRelayed(events);
    });
    this.emitter.onRelay('vigil:board', (routes) => this.deliverBoard(routes));
  }

  private deliverBoard(routes: BoardRoute[]): void {
    const packets = boardPackets(routes, (room) => this.emitter.hasLocalSockets(room));
    for (const { rooms, summary } of packets.updated)
      this.emitter.toLocalRooms(rooms, 'board.updated', summary);
    for (const { rooms, summaries } of packets.batches)
      this.emitter.toLocalRooms(rooms, 'board.batch', { summaries });
  }

  onModuleDestroy(): void {
    this.off?.();
    this.off = null;
  }
}
