import { Injectable, Optional } from '@nestjs/common';
import { readingsMayAlert, readingsMayAlertAtOnce } from '@vigil/clinical';
import { RetryLaterException } from '../../common/retry-later.exception';
import { VigilMetrics } from '../metrics/vigil-metrics';
import { EventStore, type AppendOutcome, type AppendRequest } from './event-store';

interface Pending {
  request: AppendRequest;
  resolve: (outcome: AppendOutcome) => void;
  reject: (err: Error) => void;
  queuedAt: number;
  /** Queued while a group was in flight: it may be shed. One queued idle only gathers. */
  behind: boolean;
  /** Starts a group at once, beside any in flight (startsAtOnce). */
  atOnce: boolean;
}

const MAX_BATCH = 500;
/**
 * Longest a submission may wait for its group before it is answered "busy" instead. Past the
 * pipeline's capacity an unbounded queue answers every submission after its client gave up
 * (10 s ack timeout) and retried, so goodput collapses to zero; shedding what has waited this
 * long keeps the acks that do go out timely and lets the clients' outboxes carry the rest.
 */
export const MAX_QUEUE_WAIT_MS = 1500;

export const BUSY_MESSAGE =
  'server busy: nothing was stored; retry with the same clientId in a moment';

/**
 * Nothing was stored: the server is past its capacity. Retryable with the same clientId (503 with
 * Retry-After over REST, `unavailable` over the socket).
 */
export class SubmissionsBusyError extends RetryLaterException {
  constructor() {
    super(BUSY_MESSAGE, 1);
  }
}

/**
 * Most groups committing at once. A second and later group starts only for a help press or a
 * reading that may alert as soon as it is judged (startsAtOnce), or once the oldest waiting has
 * gathered GATHER_MS or GATHER_ENOUGH wait (see `mayStart`).
 */
const MAX_IN_FLIGHT = 4;

/**
 * Submissions waiting that justify a group beside the one in flight before the oldest has
 * gathered GATHER_MS: past the load where one group's round trips no longer keep up, overlapping
 * them buys throughput again.
 */
export const GATHER_ENOUGH = 64;

/**
 * How long a submission waits for others to share its group, a group in flight or not; past it,
 * its group starts, beside the one in flight if need be (up to MAX_IN_FLIGHT). At 200 readings a
 * second, groups written at once held 1.3 rows each, and each group was seven round trips (one
 * since migration 1764190080000, for new submissions) and a WAL flush: most of the database's and much of the
 * server's work per reading at the load a clinic runs (docs/BENCHMARKS.md). A reading 1 s apart
 * from its next loses nothing to 10 ms; help presses and readings that may alert at once never
 * wait for it (startsAtOnce). At 500 a second a group commits in a few ms, so the next one
 * starts after it; only past that load do groups overlap.
 */
export const GATHER_MS = 10;

/**
 * What is never shed and goes in the next group, ahead of the routine ones however long they have
 * waited: a help press (it must always get through) and a vitals batch holding a reading that may
 * alert by itself (issue 15: admitted at the door as `urgent`, it must not be refused here
 * instead, nor wait its turn behind up to MAX_QUEUE_WAIT_MS of the 1 Hz stream).
 */
function goesFirst(request: AppendRequest): boolean {
  if (request.type === 'help.requested') return true;
  return request.type === 'vitals.recorded' && readingsMayAlert(request.data.readings);
}

/**
 * What also starts a group at once, beside any in flight: a help press, and a reading that may
 * alert as soon as it is judged (a discrete one: BP, resp. rate, temperature, SpO2 or heart rate
 * typed in by hand). Not a device's SpO2 or heart rate at a limit: a continuous stream raises
 * nothing before its condition has held for the stream delay (15 s by default, CLINICAL.md), so
 * 10 ms of gathering changes nothing for it. It still goes first and is never shed. Issue 15: with
 * one oximeter reading in five at SpO2 94 (the loosest limit an override allows), each started a
 * one-row group of its own, up to four transactions at once queued on the audit chain's head
 * lock (PostgreSQL's `Lock:transactionid` waits, 2-4 ms per insert at 500 patients).
 */
function startsAtOnce(request: AppendRequest): boolean {
  // A subset of goesFirst: what starts at once also goes first.
  if (request.type === 'help.requested') return true;
  return request.type === 'vitals.recorded' && readingsMayAlertAtOnce(request.data.readings);
}

/**
 * Group commit for patient submissions. While a transaction is in flight, new submissions queue
 * up and go together in the next one (one multi-row insert instead of a round trip each).
 * A submission gathers others for GATHER_MS at most, a group in flight or not; a help press or a
 * reading that may alert at once is written at once. Every caller's promise settles only after
 * the transaction holding its row has committed.
 *
 * Why a routine submission does not start a group of its own while a slot is free (issue 15):
 * at 500/s that kept up to four groups of 1-3 rows in flight, each paying the whole transaction
 * (then seven round trips, now one, the audit chain's head lock, which serialises them anyway,
 * and a publish), and cost 3.65x a bare relay's server CPU per event with PostgreSQL spending
 * more still. Why it does not wait for the group in flight to finish either: under load a group
 * takes longer than GATHER_MS, and one group at a time left its round trips unoverlapped while
 * the queue grew (docs/BENCHMARKS.md, 2026-12-05).
 */
@Injectable()
export class SubmissionQueue {
  /** Help presses and alert-worthy readings, oldest first (goesFirst). */
  private first: Pending[] = [];
  /** Everything else, oldest first. */
  private queue: Pending[] = [];
  /** How many in `first` start a group at once (startsAtOnce). */
  private atOnce = 0;
  private inFlight = 0;
  /** Wakes the queue when its oldest submission has gathered for GATHER_MS. */
  private gathering: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: EventStore,
    @Optional() private readonly metrics?: VigilMetrics,
  ) {}

  submit(request: AppendRequest): Promise<AppendOutcome> {
    return new Promise<AppendOutcome>((resolve, reject) => {
      const pending = {
        request,
        resolve,
        reject,
        queuedAt: Date.now(),
        behind: this.inFlight > 0,
        atOnce: startsAtOnce(request),
      };
      if (pending.atOnce) this.atOnce += 1;
      (goesFirst(request) ? this.first : this.queue).push(pending);
      this.kick();
    });
  }

  private kick(): void {
    const now = Date.now();
    if (this.inFlight < MAX_IN_FLIGHT) this.shed(now);
    while (this.inFlight < MAX_IN_FLIGHT && this.mayStart(now)) {
      this.inFlight += 1;
      const batch = this.first.splice(0, MAX_BATCH);
      for (const p of batch) if (p.atOnce) this.atOnce -= 1;
      batch.push(...this.queue.splice(0, MAX_BATCH - batch.length));
      // Groups touching the same session serialise on its row lock (taken in id order, so two
      // groups never deadlock): per-session seq order and clientId dedupe hold as with one.
      this.flush(batch)
        .catch(() => undefined)
        .finally(() => {
          this.inFlight -= 1;
          this.kick();
        });
    }
    this.gatherUntil(now);
  }

  /**
   * Help presses and readings that may alert at once: at once, in a group beside any in flight,
   * never behind it. The rest (a device's reading at a limit among them, which still goes first
   * in its group): once the oldest has gathered for GATHER_MS, or enough wait that another group
   * pays for itself (GATHER_ENOUGH).
   */
  private mayStart(now: number): boolean {
    if (this.atOnce > 0) return true;
    const waiting = this.first.length + this.queue.length;
    if (waiting === 0) return false;
    if (waiting >= GATHER_ENOUGH) return true;
    return now - this.oldestQueuedAt() >= GATHER_MS;
  }

  private oldestQueuedAt(): number {
    return Math.min(this.first[0]?.queuedAt ?? Infinity, this.queue[0]?.queuedAt ?? Infinity);
  }

  /** A slot free and submissions gathering: a wake-up for when the oldest has waited enough. */
  private gatherUntil(now: number): void {
    if (this.gathering || this.inFlight >= MAX_IN_FLIGHT) return;
    if (this.first.length + this.queue.length === 0) return;
    const wait = Math.max(0, this.oldestQueuedAt() + GATHER_MS - now);
    this.gathering = setTimeout(() => {
      this.gathering = null;
      this.kick();
    }, wait);
    this.gathering.unref();
  }

  /**
   * Answers "busy" to the routine ones that waited too long behind groups in flight; the oldest
   * are at the front, and those queued on an idle server (gathering, never behind a group: the
   * next group takes them) after them. Not these: a stalled event loop is not a busy database.
   */
  private shed(now: number): void {
    let stale = 0;
    while (
      stale < this.queue.length &&
      this.queue[stale].behind &&
      now - this.queue[stale].queuedAt > MAX_QUEUE_WAIT_MS
    )
      stale += 1;
    if (stale === 0) return;
    const shed = this.queue.splice(0, stale);
    this.metrics?.shed(shed.length);
    for (const p of shed) p.reject(new SubmissionsBusyError());
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.store.append(batch.map((p) => p.request));
      this.metrics?.committed(
        batch.map((p, i) => ({ outcome: outcomes[i].status, queuedAt: p.queuedAt })),
        Date.now(),
      );
      batch.forEach((p, i) => p.resolve(outcomes[i]));
    } catch (err) {
      // A failed group must not sink every member with it: retry each alone, so one bad
      // row fails only its own submission.
      if (batch.length === 1) {
        this.metrics?.committed([{ outcome: 'error', queuedAt: batch[0].queuedAt }], Date.now());
        batch[0].reject(err as Error);
        return;
      }
      for (const pending of batch) {
        try {
          const [outcome] = await this.store.append([pending.request]);
          this.metrics?.committed(
            [{ outcome: outcome.status, queuedAt: pending.queuedAt }],
            Date.now(),
          );
          pending.resolve(outcome);
        } catch (single) {
          this.metrics?.committed([{ outcome: 'error', queuedAt: pending.queuedAt }], Date.now());
          pending.reject(single as Error);
        }
      }
    }
  }
}
