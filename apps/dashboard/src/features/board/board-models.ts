import type { SessionModel } from '../../read-model/session-model';

type Models = ReadonlyMap<string, SessionModel>;

/** What a stream of readings changes in a model; anything else is news the board shows at once. */
const READINGS_ONLY = new Set<string>(['lastSeq', 'latest', 'vitals']);

/** Whether `next` brings more than readings to a session shown as `before`. */
function hasNews(before: SessionModel, next: SessionModel): boolean {
  if (before === next) return false;
  for (const key of Object.keys(next) as (keyof SessionModel)[])
    if (!READINGS_ONLY.has(key) && next[key] !== before[key]) return true;
  return false;
}

/**
 * Whether the board must show `next` at once: a session came or went, or something other than
 * its readings changed (an alert, a check-in, the phone's state, the session's state). The read
 * model keeps those fields' objects through readings, so a comparison of references says it.
 */
export function hasNewsBeyondReadings(shown: Models, next: Models): boolean {
  if (shown.size !== next.size) return true;
  for (const [id, model] of next) {
    const before = shown.get(id);
    if (before === undefined || hasNews(before, model)) return true;
  }
  return false;
}

/** The board's clock as BoardModels needs it: its ticks, and whose slot each one is. */
export interface SlottedTicks {
  subscribe(onTick: () => void): () => void;
  isDue(sessionId: string): boolean;
}

/**
 * The session models as the board shows them. The store flushes once per animation frame, and
 * 200 sessions at 1 Hz bring readings to a few sessions in nearly every frame: shown as they come,
 * the board re-rendered, laid out and painted 40 times a second. Readings alone are shown at most
 * every `gapMs` (values stay well within 2 s of their measurement); anything else (an alert, a
 * session loaded, a check-in) is shown in the frame it arrives, with the readings held so far.
 * The alarms (sound, announcer, alert strip) read the store directly and are never held.
 *
 * Given the board's clock (`ticks`), a session's readings alone wait for its slot of the second
 * instead (TickingClock: the tick that moves that session's ages on screen), so readings cost no
 * layout of their own and each slot's frame lays out a quarter of the tiles, not all of them; and
 * news shows that session alone at once, not every session's held readings with it. A value is
 * then at most a second later on screen than it reached the browser.
 */
export class BoardModels {
  private shown: Models;
  private shownAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();
  private off: () => void = () => undefined;

  constructor(
    private readonly store: {
      getSnapshot(): Models;
      subscribe(listener: () => void): () => void;
    },
    private readonly gapMs = 250,
    private readonly clock: () => number = Date.now,
    private readonly ticks: SlottedTicks | null = null,
  ) {
    this.shown = store.getSnapshot();
  }

  getSnapshot = (): Models => this.shown;

  subscribe = (onChange: () => void): (() => void) => {
    this.listeners.add(onChange);
    if (this.listeners.size === 1) {
      const offStore = this.store.subscribe(this.offer);
      const offTicks = this.ticks?.subscribe(this.onTick) ?? (() => undefined);
      this.off = () => {
        offStore();
        offTicks();
      };
      // The store may have moved between the render and this subscription.
      this.offer();
    }
    return () => {
      this.listeners.delete(onChange);
      if (this.listeners.size > 0) return;
      this.off();
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
    };
  };

  private readonly offer = () => {
    const next = this.store.getSnapshot();
    if (next === this.shown) return;
    if (this.ticks !== null) return this.showSome(() => false);
    const news = hasNewsBeyondReadings(this.shown, next);
    const wait = news ? 0 : this.shownAt + this.gapMs - this.clock();
    if (wait <= 0) this.show();
    else this.timer ??= setTimeout(this.show, wait);
  };

  private readonly onTick = () => {
    const ticks = this.ticks;
    if (ticks !== null) this.showSome((id) => ticks.isDue(id));
  };

  private readonly show = () => {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const next = this.store.getSnapshot();
    if (next === this.shown) return;
    this.publish(next);
  };

  /**
   * Shows what the store has for the sessions that came, those with news and those `due`, and
   * keeps the others as shown: the same map when that is all of them.
   */
  private showSome(due: (sessionId: string) => boolean): void {
    const next = this.store.getSnapshot();
    if (next === this.shown) return;
    let changed = next.size !== this.shown.size;
    const merged = new Map<string, SessionModel>();
    for (const [id, model] of next) {
      const before = this.shown.get(id);
      const take = before === undefined || hasNews(before, model) || due(id);
      const shown = take || before === undefined ? model : before;
      if (shown !== before) changed = true;
      merged.set(id, shown);
    }
    if (changed) this.publish(merged);
  }

  private publish(models: Models): void {
    this.shown = models;
    this.shownAt = this.clock();
    for (const l of this.listeners) l();
  }
}
