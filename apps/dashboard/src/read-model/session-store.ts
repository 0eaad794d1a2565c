import type { SessionEvent, WatchReadings } from '@vigil/contracts';
import { applyEvents, emptySessionModel, type SessionModel } from './session-model';

/** The slice of live-connection the store needs: easy to fake in a test. */
export interface EventSource {
  watch(
    sessionId: string,
    listener: (events: SessionEvent[], reset: boolean) => void,
    readings: WatchReadings,
  ): () => void;
}

/** Runs a flush later (once per animation frame on the board) or at once (the default). */
export type Schedule = (flush: () => void) => void;

const immediately: Schedule = (flush) => flush();

/** Coalesces a burst of live events (200 sessions at 1 Hz) into one render per frame. */
export const nextFrame: Schedule = (flush) => {
  if (typeof requestAnimationFrame === 'function') {
    // A background tab gets no frames: a timer still applies events (and the alarms) there.
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      flush();
    };
    requestAnimationFrame(once);
    setTimeout(once, 250);
  } else flush();
};

/**
 * One model per watched session, shared by the board, the session view and the alarms: each
 * session is watched once (live-connection gives a backlog only to a session's first listener),
 * so every screen reads from here instead of watching on its own.
 *
 * A tracked session (the board's) is watched for its latest readings only: its tiles and the
 * alarms need every other event but no reading a later one superseded, and a board signing in
 * two hours into 200 sessions at 1 Hz would otherwise load and fold 1.4 million of them. A
 * pinned session (a session view's charts) is watched for all its readings: its model is
 * rebuilt from the whole log once that arrives.
 */
export class SessionStore {
  private models = new Map<string, SessionModel>();
  private readonly unwatch = new Map<string, { stop: () => void; readings: WatchReadings }>();
  private readonly pins = new Map<string, number>();
  private tracked = new Set<string>();
  private readonly listeners = new Set<() => void>();

  /** The next snapshot, built up between flushes; null when nothing is waiting. */
  private pending: Map<string, SessionModel> | null = null;

  constructor(
    private readonly source: EventSource,
    private readonly schedule: Schedule = immediately,
  ) {}

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
    for (const { stop } of this.unwatch.values()) stop();
    this.unwatch.clear();
    this.pending = null;
    this.models = new Map();
  }

  private ensureWatched(id: string): void {
    const readings: WatchReadings = this.pins.has(id) ? 'all' : 'latest';
    const current = this.unwatch.get(id);
    if (current && (current.readings === 'all' || readings === 'latest')) return;
    // A board's session opened: watch it for all readings before letting go of the board's
    // watch, so the session is never unwatched in between.
    const stop = this.source.watch(id, this.listenerFor(id, readings), readings);
    current?.stop();
    this.unwatch.set(id, { stop, readings });
  }

  private listenerFor(
    id: string,
    readings: WatchReadings,
  ): (events: SessionEvent[], reset: boolean) => void {
    return (events, reset) => {
      const current = this.pending ?? this.models;
      const base = reset
        ? { ...emptySessionModel(), readings }
        : (current.get(id) ?? { ...emptySessionModel(), readings });
      if (events.length === 0 && !reset && current.has(id)) return;
      const first = this.pending === null;
      this.pending ??= new Map(this.models);
      this.pending.set(id, applyEvents(base, events));
      if (first) this.schedule(() => this.flush());
    };
  }

  private flush(): void {
    if (this.pending === null) return;
    this.models = this.pending;
    this.pending = null;
    this.emit();
  }

  private releaseIfUnused(id: string): void {
    if (this.tracked.has(id) || this.pins.has(id)) return;
    this.unwatch.get(id)?.stop();
    this.unwatch.delete(id);
    this.pending?.delete(id);
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
