/**
 * Work in progress, and a barrier on what is in progress now. Written here because the promise
 * libraries (p-limit, p-queue) bound or queue work; none waits for "what has started so far"
 * while letting what starts later run on.
 */
export class InFlight {
  /** Work in progress, with when it started, oldest first (a Map keeps insertion order). */
  private readonly pending = new Map<Promise<unknown>, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Tracks `work` until it settles; returns it unchanged for the caller to await. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.set(work, this.now());
    const done = () => void this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  /** How long the oldest work in progress has been at it: 0 when nothing is in progress. */
  oldestForMs(): number {
    for (const startedAt of this.pending.values()) return this.now() - startedAt;
    return 0;
  }

  /** Resolves once everything in progress now has settled (fulfilled or not). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending.keys()]);
  }

  get size(): number {
    return this.pending.size;
  }
}
