import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type RefObject,
} from 'react';

/** A time that moves: what a tile's ages and countdowns count from. */
export interface Clock {
  now(): number;
  subscribe(onTick: () => void): () => void;
}

/**
 * The clock a tile's ages and countdowns read. A store rather than a value: a new context value
 * makes React search the whole board for its readers on every tick, while a store's subscribers
 * are told directly, and a tile off screen can stop listening (useOnScreenClock).
 */
export const TileClock = createContext<Clock | null>(null);

export function useTileClock(): number {
  const clock = useContext(TileClock);
  if (clock === null) throw new Error('a tile needs a TileClock (or its now prop)');
  return useSyncExternalStore(clock.subscribe, clock.now);
}

const never = () => () => undefined;

/** A clock stopped at `at`: a tile given its `now` (the session view re-renders it each second). */
export function useFixedClock(at: number): Clock {
  return useMemo(() => ({ now: () => at, subscribe: never }), [at]);
}

/** The wall clock, read once a second, while something listens. */
export class TickingClock implements Clock {
  private time = Date.now();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly intervalMs = 1000) {}

  now = (): number => this.time;

  subscribe = (onTick: () => void): (() => void) => {
    this.listeners.add(onTick);
    this.timer ??= setInterval(() => {
      this.time = Date.now();
      for (const l of this.listeners) l();
    }, this.intervalMs);
    return () => {
      this.listeners.delete(onTick);
      if (this.listeners.size === 0 && this.timer !== null) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  };
}

type OnScreen = (visible: boolean) => void;
const watched = new Map<Element, OnScreen>();
let observer: IntersectionObserver | null = null;

/**
 * One IntersectionObserver for every tile and row: a board of 200 would otherwise make 200.
 * Without one (jsdom) everything counts as on screen.
 */
function watchOnScreen(el: Element, onChange: OnScreen): () => void {
  if (typeof IntersectionObserver === 'undefined') return () => undefined;
  observer ??= new IntersectionObserver((entries) => {
    for (const e of entries) watched.get(e.target)?.(e.isIntersecting);
  });
  watched.set(el, onChange);
  observer.observe(el);
  return () => {
    watched.delete(el);
    observer?.unobserve(el);
  };
}

/**
 * The board's clock as one tile or row sees it: its ticks while the element is on screen, none
 * while it is not (the board renders rows above and below the screen, and the list all 200), and
 * one at once when it comes back, so what scrolls into view is never a tick behind.
 */
export function useOnScreenClock(board: Clock | null, el: RefObject<Element | null>): Clock | null {
  const [clock] = useState(() => new GatedClock(board));
  clock.source = board;
  useEffect(() => {
    if (board === null) return;
    clock.sync();
    const offTick = board.subscribe(() => clock.tick());
    const offScreen = el.current
      ? watchOnScreen(el.current, (visible) => clock.setVisible(visible))
      : () => undefined;
    return () => {
      offTick();
      offScreen();
    };
  }, [board, el, clock]);
  return board === null ? null : clock;
}

class GatedClock implements Clock {
  private time: number;
  private visible = true;
  private readonly listeners = new Set<() => void>();

  constructor(public source: Clock | null) {
    this.time = source?.now() ?? 0;
  }

  now = (): number => this.time;

  subscribe = (onTick: () => void): (() => void) => {
    this.listeners.add(onTick);
    return () => this.listeners.delete(onTick);
  };

  tick(): void {
    if (this.visible) this.sync();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.sync();
  }

  sync(): void {
    const t = this.source?.now() ?? 0;
    if (t === this.time) return;
    this.time = t;
    for (const l of this.listeners) l();
  }
}
