import type { SessionModel } from '../../read-model/session-model';

type Models = ReadonlyMap<string, SessionModel>;

/** What a stream of readings changes in a model; anything else is news the board shows at once. */
const READINGS_ONLY = new Set<string>(['lastSeq', 'latest', 'vitals']);

/**
 * Whether the board must show `next` at once: a session came or went, or something other than
 * its readings changed (an alert, a check-in, the phone's state, the session's state). The read
 * model keeps those fields' objects through readings, so a comparison of references says it.
 */
export function hasNewsBeyondReadings(shown: Models, next: Models): boolean {
  if (shown.size !== next.size) return true;
  for (const [id, model] of next) {
    const before = shown.get(id);
    if (before === undefined) return true;
    if (before === model) continue;
    for (const key of Object.keys(model) as (keyof SessionModel)[])
      if (!READINGS_ONLY.has(key) && model[key] !== before[key]) return true;
  }
  return false;
}

/**
 * The session models as the board shows them. The store flushes once per animation frame, and
 * 200 sessions at 1 Hz bring readings to a few sessions in nearly every frame: shown as they come,
 * the board re-rendered, laid out and painted 40 times a second. Readings alone are shown at most
 * every `gapMs` (values stay well within 2 s of their measurement); anything else (an alert, a
 * session loaded, a check-in) is shown in the frame it arrives, with the readings held so far.
 * The alarms (sound, announcer, alert strip) read the store directly and are never held.
 *
 * Given the board's clock (`ticks`), readings alone wait for its next tick instead: the tick
 * already re-renders and lays out every tile on screen (each value's age moves), so readings
 * shown in that same frame cost no layout of their own, where a showing every 250 ms laid out
 * the board four more times a second (bench:board: layout was most of the main thread's long
 * tasks). A value is then at most a tick (1 s) later on screen than it reached the browser.
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
    private readonly ticks: { subscribe(onTick: () => void): () => void } | null = null,
  ) {
    this.shown = store.getSnapshot();
  }

  getSnapshot = (): Models => this.shown;

  subscribe = (onChange: () => void): (() => void) => {
    this.listeners.add(onChange);
    if (this.listeners.size === 1) {
      const offStore = this.store.subscribe(this.offer);
      const offTicks = this.ticks?.subscribe(this.show) ?? (() => undefined);
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
    const news = hasNewsBeyondReadings(this.shown, next);
    if (!news && this.ticks !== null) return; // the next tick shows them
    const wait = news ? 0 : this.shownAt + this.gapMs - this.clock();
    if (wait <= 0) this.show();
    else this.timer ??= setTimeout(this.show, wait);
  };

  private readonly show = () => {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const next = this.store.getSnapshot();
    if (next === this.shown) return;
    this.shown = next;
    this.shownAt = this.clock();
    for (const l of this.listeners) l();
  };
}
