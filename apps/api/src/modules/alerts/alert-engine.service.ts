import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { SessionEvent } from '@vigil/contracts';
import { SessionEventBus } from '../events/session-event-bus';
import { AlertProcessor } from './alert-processor';

/** At most this many sessions are processed at once, so submissions keep database connections. */
const MAX_PARALLEL = 4;

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
  private readonly running = new Map<string, Promise<void>>();
  /** Sessions that received events while being processed: go round once more. */
  private readonly again = new Set<string>();
  private readonly waiting: Array<() => void> = [];
  private active = 0;

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
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private onCommitted(events: SessionEvent[]): void {
    const sessions = new Set<string>();
    for (const event of events) {
      if (!event.type.startsWith('alert.')) sessions.add(event.sessionId);
    }
    for (const sessionId of sessions) this.schedule(sessionId);
  }

  private schedule(sessionId: string): void {
    if (this.running.has(sessionId)) {
      this.again.add(sessionId);
      return;
    }
    const task = this.drain(sessionId).finally(() => this.running.delete(sessionId));
    this.running.set(sessionId, task);
  }

  private async drain(sessionId: string): Promise<void> {
    do {
      this.again.delete(sessionId);
      await this.slot();
      try {
        await this.processor.process(sessionId, false);
      } catch (err) {
        this.logger.error(`alerts for session ${sessionId} failed: ${(err as Error).message}`);
      } finally {
        this.release();
      }
    } while (this.again.has(sessionId));
  }

  private slot(): Promise<void> {
    if (this.active < MAX_PARALLEL) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}
