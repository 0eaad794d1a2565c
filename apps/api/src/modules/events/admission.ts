import {
  Inject,
  Injectable,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { VigilMetrics } from '../metrics/vigil-metrics';

/**
 * Who goes first when the server is behind. A help press is never refused (CLINICAL.md: one tap
 * away, raises a high alert at once), nor is an `urgent` vitals submission, one holding a reading
 * that may raise a medium or high alert by itself (`readingMayAlert`, classed at the door from the
 * raw payload: `vitals-admission.ts`): refused, it would wait for its phone's retry like any other
 * (issue 15: alerts reached the clinician after 7-9 s). Neither is a way round admission for a
 * flood: a socket's messages are rate-limited before admission (live-inbound.ts), and every
 * submission still needs a valid token and access to its session. Check-ins, notes and messages
 * keep precedence over the routine 1 Hz vitals stream, whose next reading is a second away and
 * whose phone retries from its outbox.
 */
export type AdmissionClass = 'help' | 'urgent' | 'priority' | 'routine';

/** What the decision looks at, measured by `Admission` (injected here so the rule is testable). */
export interface PipelineLoad {
  /** Submissions admitted and not yet answered: in front of the queue, queued, committing. */
  outstanding: number;
  /** Admitted submissions answered per second lately: what the pipeline has shown it can do. */
  answeredPerSecond: number;
  /** How late the event loop is running now, ms: frames waiting unread in front of the handlers. */
  loopLagMs: number;
}

export interface AdmissionLimits {
  /** How long an admitted submission should wait for its answer (Little's law sizes the backlog). */
  ackBudgetMs: number;
  /** While the loop keeps up, this many outstanding are always admitted (a burst on an idle server). */
  minOutstanding: number;
  /** Event-loop lag past which the loop counts as behind. */
  maxLoopLagMs: number;
  /** Priority submissions get this many times the backlog and the lag of routine ones. */
  priorityFactor: number;
}

/**
 * The ack budget is half a second, not the second it was: the measured rate is the busiest of the
 * last three seconds and the event loop's lag comes on top, so a 1 s budget let the ack p99 reach
 * 2.7-3.3 s at twice the pipeline's capacity (target 2 s); 0.5 s gave 0.9-1.8 s and, with fewer
 * submissions queued for a saturated loop to carry, more acknowledged, not fewer (2,620-3,607 a
 * second against 2,178-2,998; docs/BENCHMARKS.md, 2026-12-06).
 */
export const ADMISSION_LIMITS: Omit<AdmissionLimits, 'minOutstanding'> = {
  ackBudgetMs: 500,
  maxLoopLagMs: 300,
  priorityFactor: 4,
};

export type AdmissionVerdict = 'admit' | 'backlog' | 'event_loop';

/**
 * Admit or refuse one submission before any work is done for it (parse, access check, hash).
 * Refused, it is answered `unavailable` at once and the phone's outbox sends it again; admitted
 * past capacity, it would wait behind everything else until its client gave up, and so would
 * everyone after it (goodput collapses to zero).
 *
 * The rule is Little's law: a backlog of (rate the pipeline answers) x (ack budget) is answered
 * within the budget; a submission beyond it is refused. While the event loop keeps up, the
 * backlog may also reach `minOutstanding` whatever the rate (an idle server takes a burst, and
 * the rate it then shows can grow). While the loop lags, frames are already waiting unread in
 * front of the handlers and admitted work only lengthens its turns: then the measured rate alone
 * decides, keeping at least one submission in progress so that the rate can recover.
 */
export function admission(
  kind: AdmissionClass,
  load: PipelineLoad,
  limits: AdmissionLimits,
): AdmissionVerdict {
  if (kind === 'help' || kind === 'urgent') return 'admit';
  const factor = kind === 'priority' ? limits.priorityFactor : 1;
  const lagging = load.loopLagMs >= limits.maxLoopLagMs * factor;
  const littles = (load.answeredPerSecond * limits.ackBudgetMs) / 1000;
  const backlog = Math.max(lagging ? 1 : limits.minOutstanding, littles) * factor;
  if (load.outstanding < backlog) return 'admit';
  return lagging ? 'event_loop' : 'backlog';
}

/**
 * Counts per whole second of `now`; `perSecond` is the busiest of the last three complete
 * seconds (one slow second, a GC pause or an alert-engine pass, does not halve the budget).
 */
export class RateWindow {
  private readonly counts = new Map<number, number>();

  add(n: number, nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    this.counts.set(second, (this.counts.get(second) ?? 0) + n);
    for (const s of this.counts.keys()) if (s < second - 3) this.counts.delete(s);
  }

  perSecond(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    let best = 0;
    for (let s = second - 3; s < second; s++) best = Math.max(best, this.counts.get(s) ?? 0);
    return best;
  }
}

/** How often the loop-lag probe ticks; its lateness is the loop's lag. */
const LAG_TICK_MS = 100;

/**
 * The admission gate of the submission entry points (the socket handlers, the REST routes): it
 * measures the load and applies `admission`. An admitted submission holds a ticket until it is
 * answered; `release` is idempotent.
 */
@Injectable()
export class Admission implements OnModuleInit, OnModuleDestroy {
  private outstanding = 0;
  private readonly answered = new RateWindow();
  private readonly limits: AdmissionLimits;
  private timer: NodeJS.Timeout | null = null;
  private nextTickAt = 0;
  private lastLagMs = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() private readonly metrics?: VigilMetrics,
  ) {
    this.limits = { ...ADMISSION_LIMITS, minOutstanding: config.ADMISSION_MIN_OUTSTANDING };
  }

  onModuleInit(): void {
    this.schedule();
  }

  onModuleDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A release function to call once the submission is answered, or null: refuse it. */
  admit(kind: AdmissionClass): (() => void) | null {
    const now = performance.now();
    const verdict = admission(
      kind,
      {
        outstanding: this.outstanding,
        answeredPerSecond: this.answered.perSecond(now),
        loopLagMs: this.loopLag(now),
      },
      this.limits,
    );
    if (verdict !== 'admit') {
      this.metrics?.refused(verdict, kind);
      return null;
    }
    this.outstanding += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.outstanding -= 1;
      this.answered.add(1, performance.now());
    };
  }

  /**
   * The probe's lateness: as it was at its last tick, or more if the next tick is overdue now
   * (a loop busy with a long backlog of frames never reaches its timers to say so).
   */
  private loopLag(now: number): number {
    return Math.max(this.lastLagMs, now - this.nextTickAt);
  }

  private schedule(): void {
    this.nextTickAt = performance.now() + LAG_TICK_MS;
    this.timer = setTimeout(() => {
      this.lastLagMs = Math.max(0, performance.now() - this.nextTickAt);
      this.schedule();
    }, LAG_TICK_MS);
    this.timer.unref();
  }
}
