import { Injectable, Logger } from '@nestjs/common';
import type { SessionEvent } from '@vigil/contracts';

export type CommittedListener = (events: SessionEvent[]) => void;

/**
 * In-process announcement of committed session events. Services publish only after their
 * transaction commits; the realtime gateway and the alert engine subscribe. Listeners must not
 * throw into the publisher: one failing listener never stops another.
 */
@Injectable()
export class SessionEventBus {
  private readonly logger = new Logger(SessionEventBus.name);
  private readonly listeners = new Set<CommittedListener>();

  subscribe(listener: CommittedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(events: SessionEvent[]): void {
    if (events.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (err) {
        this.logger.error(`listener failed: ${(err as Error).message}`);
      }
    }
  }
}
