import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { readingsMayAlertAtOnce } from '@vigil/clinical';
import type { SessionEvent } from '@vigil/contracts';
import { SessionEventBus } from '../events/session-event-bus';
import { AlertProcessor } from './alert-processor';

/** Sessions per engine pass: bounds one transaction's size and lock footprint. */
const MAX_BATCH = 200;
/**
 * Least time from one pass's start to the next while only readings that cannot raise at once are
 * waiting (issue 15: continuous streams on a cadence of at most 1 s). A 1 Hz stream per patient
 * otherwise buys a pass of about nine statements every few submission groups; this gathers them,
 * at most this much later. Anything else committed (help, check-ins, session flow, a discrete
 * reading that may alert by itself) starts a pass at once.
 */
export const READINGS_CADENCE_MS = 200;

/**
 * Anything but readings: a vitals event goes first if a discrete reading in it may alert. A
 * device's SpO2 or heart rate waits for the cadence even at a limit: it raises only once its
 * condition has held for the stream delay (>= 5 s), so 200 ms more cannot matter, where a pass
 * for each such reading did (readingsMayAlertAtOnce).
 */
function goesFirst(event: SessionEvent): boolean {
  return event.type !== 'vitals.recorded' || readingsMayAlertAtOnce(event.data.readings);
}

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
  /**
   * Of those, the ones with more than routine readings: they go first, and at once. So one waits
   * at most for the pass in progress (at most MAX_BATCH sessions), never behind a backlog of
   * routine ones, however long.
   */
  private readonly urgent = new Set<string>();
  /** The sessions of the pass in progress. */
  private inPass: ReadonlySet<string> = new Set();
  private running: Promise<void> | null = null;
  private lastPassAt = -Infinity;
  /** Ends the wait for the readings' cadence early (something urgent came). */
  private wake: (() => void) | null = null;
  /** Set once the instance stops: a pass failing then most likely met the closing database. */
  private stopping = false;

  constructor(
    private readonly bus: SessionEventBus,
    private readonly processor: AlertProcessor,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((events) => this.onCommitted(events));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    await this.whenIdle();
  }

  /**
   * Whether this instance will process the session's committed events without being asked: it
   * is waiting for a pass or in the one in progress. The watchdog leaves such a session to it.
   */
  isQueued(sessionId: string): boolean {
    return this.pending.has(sessionId) || this.inPass.has(sessionId);
  }

  /** Resolves once every session queued so far has been processed (tests wait on this). */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  private onCommitted(events: SessionEvent[]): void {
    for (const event of events) {
      if (event.type.startsWith('alert.')) continue;
      this.pending.add(event.sessionId);
      if (goesFirst(event)) this.urgent.add(event.sessionId);
    }
    if (this.urgent.size > 0) this.wake?.();
    this.kick();
  }

  /**
   * One engine pass at a time, over every session that has news: while a pass runs, newly
   * committed sessions gather and go together in the next (the same group commit idea as the
   * submission queue), so the cost per event falls as load rises. Readings alone wait for
   * the cadence; sessions with anything else go first.
   */
  private kick(): void {
    if (this.running || this.pending.size === 0) return;
    let batch: string[] = [];
    this.running = this.cadence()
      .then(() => {
        batch = [...new Set([...this.urgent, ...this.pending])].slice(0, MAX_BATCH);
        const urgent = new Set(batch.filter((id) => this.urgent.has(id)));
        for (const id of batch) {
          this.pending.delete(id);
          this.urgent.delete(id);
        }
        this.lastPassAt = performance.now();
        this.inPass = new Set(batch);
        return this.processor.processMany(batch, false, urgent);
      })
      .then(() => undefined)
      .catch((err: Error) => {
        // The watchdog catches up from last_seq on its next tick; nothing is lost. While the
        // instance stops (`npm start`'s Ctrl-C stops its embedded database at the same moment)
        // that is expected, not a fault to page anyone about: the next start catches up.
        const failed = `alerts for ${batch.length} session(s) failed: ${err.message}`;
        if (this.stopping) this.logger.warn(`while shutting down: ${failed}`);
        else this.logger.error(failed);
      })
      .finally(() => {
        this.inPass = new Set();
        this.running = null;
        this.kick();
      });
  }

  /** Resolves when the next pass may start: now if anything urgent waits, else on the cadence. */
  private cadence(): Promise<void> {
    const wait = this.lastPassAt + READINGS_CADENCE_MS - performance.now();
    if (this.urgent.size > 0 || wait <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, wait);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    }).finally(() => {
      this.wake = null;
    });
  }
}
