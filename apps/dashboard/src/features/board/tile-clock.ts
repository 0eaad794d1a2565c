import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type RefObject,
} from 'react';
import { serverNow } from '../../clock/server-clock';

/**
 * A time that moves: what a tile's ages and countdowns count from. A listener that names its
 * session (`key`) may be told less often than the others: once a second, in that session's slot
 * of the second (TickingClock).
 */
export interface Clock {
  now(): number;
  subscribe(onTick: () => void, key?: string): () => void;
}

/**
 * Which of `slots` parts of the second a session's tile takes its tick in: the same for the same
 * session on every board and every run, and spread evenly over UUIDs (their last hex digits).
 */
export function slotOf(key: string, slots: number): number {
  if (slots <= 1) return 0;
  const tail = Number.parseInt(key.slice(-4), 16);
  if (Number.isFinite(tail)) return tail % slots;
  let sum = 0;
  for (let i = 0; i < key.length; i++) sum += key.charCodeAt(i);
  return sum % slots;
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

/**
 * The server's clock (server-clock.ts: a tile judges server times), read once a second, while
 * something listens, in `slots` slots. A listener without a key is told on every slot; a
 * session's listener once a second, in its session's slot (slotOf), and the board shows that
 * session's new readings in the same slot (BoardModels). So the per-second work of a 200-session
 * board (every visible tile's ages and values, their layout and paint) comes as four frames of a quarter each instead of one frame of all of it: as one,
 * it made the main thread's long tasks over 50 ms (bench:board: a tick rendered ~60 ms of React,
 * then laid out ~20 ms). Not more: a frame that lays out anything pays ~15-20 ms of layout,
 * paint and commit however little changed, so eight slots made more long tasks, not fewer.
 */
export class TickingClock implements Clock {
  private time: number;
  private slot = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Map<() => void, number | null>();

  constructor(
    private readonly intervalMs = 1000,
    readonly slots = 4,
    private readonly clock: () => number = serverNow,
  ) {
    this.time = clock();
  }

  now = (): number => this.time;

  /** Whether `key`'s slot is the one just ticked. */
  isDue(key: string): boolean {
    return slotOf(key, this.slots) === this.slot;
  }

  subscribe = (onTick: () => void, key?: string): (() => void) => {
    this.listeners.set(onTick, key === undefined ? null : slotOf(key, this.slots));
    this.timer ??= setInterval(() => {
      this.time = this.clock();
      this.slot = (this.slot + 1) % this.slots;
      for (const [l, slot] of this.listeners) if (slot === null || slot === this.slot) l();
    }, this.intervalMs / this.slots);
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
 * one at once when it comes back, so what scrolls into view is never a tick behind. `key`, the
 * session shown, puts its ticks in that session's slot of the second (TickingClock).
 */
export function useOnScreenClock(
  board: Clock | null,
  el: RefObject<Element | null>,
  key?: string,
): Clock | null {
  const [clock] = useState(() => new GatedClock(board));
  clock.source = board;
  useEffect(() => {
    if (board === null) return;
    clock.sync();
    const offTick = board.subscribe(() => clock.tick(), key);
    const offScreen = el.current
      ? watchOnScreen(el.current, (visible) => clock.setVisible(visible))
      : () => undefined;
    return () => {
      offTick();
      offScreen();
    };
  }, [board, el, clock, key]);
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
