/**
 * Work in progress, and a barrier on what is in progress now. Written here because the promise
 * libraries (p-limit, p-queue) bound or queue work; none waits for "what has started so far"
 * while letting what starts later run on.
 */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Tracks `work` until it settles; returns it unchanged for the caller to await. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = () => void this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves once everything in progress now has settled (fulfilled or not). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  get size(): number {
    return this.pending.size;
  }
}
