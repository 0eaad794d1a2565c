/**
 * Every time the dashboard judges is the server's: a reading's time capped at its commit, an
 * event's `at`, a silence's `silencedUntil`, a check-in's due time. Compared with this computer's
 * own clock, a station five minutes slow showed an oximeter stream stopped three minutes ago as
 * live ("0s ago"), held a 2-minute silence for 7 minutes and read overdue check-ins 5 minutes
 * short; one two minutes fast marked every fresh reading stale. So the dashboard keeps the
 * server's clock, as an offset from its own, and reads the time from it (`serverNow`).
 *
 * The evidence is the `Date` header of the API's answers (HTTP: the second the answer was
 * written; same-origin, `no-store`, so never a cached one): the server's clock read some second
 * [Date, Date + 1 s) at an instant between our request and its answer. That bounds the offset on
 * both sides. The board's list refetch brings one every 15 s. An event's `at` is no such evidence:
 * it says only that the server's now is later (a backlog, or an event late across instances,
 * would pass for now and make stale data look fresh).
 */

/** Bounds on the offset (server minus ours, ms) that one answer proves, and when it came. */
interface Sample {
  low: number;
  high: number;
  at: number;
}

/** How long an answer's evidence is kept: long enough to narrow the estimate, short enough that
 * this computer's clock being set (NTP, a person) is soon forgotten. */
const KEEP_MS = 5 * 60_000;
/** And at most this many (a page that calls the API in bursts). */
const KEEP_SAMPLES = 50;

export class ServerClock {
  private samples: Sample[] = [];
  private offset = 0;
  private readonly listeners = new Set<() => void>();

  /** `local` read on each call (not Date.now kept at load): a test or a page may replace it. */
  constructor(private readonly local: () => number = () => Date.now()) {}

  /** The server's time now, as best known (this computer's clock until an answer came). */
  now = (): number => this.local() + this.offset;

  /** How far the server's clock is ahead of this computer's (negative: behind), in ms. */
  offsetMs = (): number => this.offset;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * An answer's `Date` header, with our clock's reading when the request went out and when the
   * answer came (headers in): the server's clock read [Date, Date + 1 s) somewhere between.
   */
  observeDate(header: string | null, sentAt: number, receivedAt: number): void {
    const server = Date.parse(header ?? '');
    if (!Number.isFinite(server) || receivedAt < sentAt) return;
    this.add({ low: server - receivedAt, high: server + 1000 - sentAt, at: receivedAt });
  }

  /**
   * The offset is the middle of what the freshest answers agree on: from the newest back, each
   * older one narrows the range while it fits; one that does not (this computer's clock was set
   * since, or another server answered) ends the search, so the freshest evidence always wins.
   */
  private add(sample: Sample): void {
    this.samples = [...this.samples.filter((s) => sample.at - s.at <= KEEP_MS), sample].slice(
      -KEEP_SAMPLES,
    );
    let low = -Infinity;
    let high = Infinity;
    for (let i = this.samples.length - 1; i >= 0; i--) {
      const l = Math.max(low, this.samples[i].low);
      const h = Math.min(high, this.samples[i].high);
      if (l > h) break;
      low = l;
      high = h;
    }
    const offset = Math.round((low + high) / 2);
    if (offset === this.offset) return;
    this.offset = offset;
    for (const l of this.listeners) l();
  }
}

/** The dashboard's one clock: the server's, as this computer keeps it. */
export const serverClock = new ServerClock();

export const serverNow = (): number => serverClock.now();
