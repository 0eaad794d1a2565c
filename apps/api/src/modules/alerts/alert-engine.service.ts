import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { SessionEvent } from '@vigil/contracts';
import { SessionEventBus } from '../events/session-event-bus';
import { AlertProcessor } from './alert-processor';

/** Sessions per engine pass: bounds one transaction's size and lock footprint. */
const MAX_BATCH = 200;

/**
 * Listens to committed session events and brings each affected session's alerts up to date at
 * once (a help request raises its alert within milliseconds). In-process, one session is worked
 * on by one task at a time; across instances the engine row lock makes that so. Nothing is lost
 * if this instance dies mid-way: the watchdog catches up from last_seq on its next tick.
 */
@Injectable()
export class AlertEngineService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AlertEngineService.name);
  private unsubscribe: (() => void) | null = null;
  /** Sessions with committed events not yet processed. */
  private readonly pending = new Set<string>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly bus: SessionEventBus,
    private readonly processor: AlertProcessor,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((events) => this.onCommitted(events));
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    await this.whenIdle();
  }

  /** Resolves once every session queued so far has been processed (tests wait on this). */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  private onCommitted(events: SessionEvent[]): void {
    for (const event of events) {
      if (!event.type.startsWith('alert.')) this.pending.add(event.sessionId);
    }
    this.kick();
  }

  /**
   * One engine pass at a time, over every session that has news: while a pass runs, newly
   * committed sessions gather and go together in the next (the same group commit idea as the
   * submission queue), so the cost per event falls as load rises.
   */
  private kick(): void {
    if (this.running || this.pending.size === 0) return;
    const batch = [...this.pending].slice(0, MAX_BATCH);
    for (const id of batch) this.pending.delete(id);
    this.running = this.processor
      .processMany(batch, false)
      .then(() => undefined)
      .catch((err: Error) => {
        // The watchdog catches up from last_seq on its next tick; nothing is lost.
        this.logger.error(`alerts for ${batch.length} session(s) failed: ${err.message}`);
      })
      .finally(() => {
        this.running = null;
        this.kick();
      });
  }
}
