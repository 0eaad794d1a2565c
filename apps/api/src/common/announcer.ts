/**
 * In-process announcements of one kind: listeners run synchronously, in subscription order, on
 * every `publish`. Written by hand (a Set of callbacks) because a library event emitter would
 * lose the event's type; `subscribe` returns the unsubscribe.
 */
export class Announcer<E> {
  private readonly listeners = new Set<(event: E) => void>();

  subscribe(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: E): void {
    for (const listener of this.listeners) listener(event);
  }
}
