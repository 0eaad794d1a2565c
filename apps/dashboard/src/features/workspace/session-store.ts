import type { SessionEvent } from '@vigil/contracts';
import { applyEvents, emptySessionModel, type SessionModel } from './session-model';

/** The slice of live-connection the store needs: easy to fake in a test. */
export interface EventSource {
  watch(sessionId: string, listener: (events: SessionEvent[], reset: boolean) => void): () => void;
}

/**
 * One model per watched session, shared by the board, the session view and the alarms: each
 * session is watched once (live-connection gives a backlog only to a session's first listener),
 * so every screen reads from here instead of watching on its own.
 */
export class SessionStore {
  private models = new Map<string, SessionModel>();
  private readonly unwatch = new Map<string, () => void>();
  private readonly pins = new Map<string, number>();
  private tracked = new Set<string>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly source: EventSource) {}

  /** The board's live sessions; sessions no longer listed stop being watched unless pinned. */
  track(sessionIds: readonly string[]): void {
    this.tracked = new Set(sessionIds);
    for (const id of this.tracked) this.ensureWatched(id);
    for (const id of [...this.unwatch.keys()]) this.releaseIfUnused(id);
  }

  /** Keeps a session watched while a screen shows it (e.g. an ended session's page). */
  pin(sessionId: string): () => void {
    this.pins.set(sessionId, (this.pins.get(sessionId) ?? 0) + 1);
    this.ensureWatched(sessionId);
    return () => {
      const n = (this.pins.get(sessionId) ?? 1) - 1;
      if (n > 0) this.pins.set(sessionId, n);
      else this.pins.delete(sessionId);
      this.releaseIfUnused(sessionId);
    };
  }

  getSnapshot = (): ReadonlyMap<string, SessionModel> => this.models;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispose(): void {
    for (const stop of this.unwatch.values()) stop();
    this.unwatch.clear();
    this.models = new Map();
  }

  private ensureWatched(id: string): void {
    if (this.unwatch.has(id)) return;
    const stop = this.source.watch(id, (events, reset) => {
      const base = reset ? emptySessionModel() : (this.models.get(id) ?? emptySessionModel());
      if (events.length === 0 && !reset && this.models.has(id)) return;
      this.models = new Map(this.models).set(id, applyEvents(base, events));
      this.emit();
    });
    this.unwatch.set(id, stop);
  }

  private releaseIfUnused(id: string): void {
    if (this.tracked.has(id) || this.pins.has(id)) return;
    this.unwatch.get(id)?.();
    this.unwatch.delete(id);
    if (this.models.has(id)) {
      this.models = new Map(this.models);
      this.models.delete(id);
      this.emit();
    }
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
