import type { ReadingKind, ReadingSource } from '@vigil/contracts';

/** One reading as the session's charts and checks read it. */
export interface VitalPoint {
  kind: ReadingKind;
  value: number;
  measuredAt: string;
  source?: ReadingSource;
  /**
   * When it was measured by the server's clock (epoch ms), for checks against a server time such
   * as the dose's: its commit less its wait on the phone (v1.14), else its measuredAt capped at
   * its commit (`readingMadeAt`, as the server dates a BP at sign-off and in the REMS report). A
   * phone's measuredAt is its own clock's (`vitalMadeAt`).
   */
  madeAt?: number;
}

/** A point's time by the server's clock (`madeAt`), or its measuredAt for one built without it. */
export const vitalMadeAt = (v: VitalPoint): number => v.madeAt ?? Date.parse(v.measuredAt);

/**
 * A session's readings, oldest first, appended to without copying. Each model holds its own
 * length of one shared array: appending to the newest log pushes onto that array and hands back a
 * longer view of it, so an older model never sees what came after it. At 1 Hz a session gathers
 * thousands of readings; copying them all on every event (200 sessions, 200 events a second) grew
 * with the session's length and fed the board's garbage collector. Appending to an older log (a
 * branch, which the store never makes) copies its part first.
 */
export class VitalLog implements Iterable<VitalPoint> {
  static empty(): VitalLog {
    return new VitalLog([], 0);
  }

  private constructor(
    private readonly points: VitalPoint[],
    readonly length: number,
  ) {}

  append(added: readonly VitalPoint[]): VitalLog {
    if (added.length === 0) return this;
    const points =
      this.length === this.points.length ? this.points : this.points.slice(0, this.length);
    for (const p of added) points.push(p);
    return new VitalLog(points, points.length);
  }

  *[Symbol.iterator](): Iterator<VitalPoint> {
    for (let i = 0; i < this.length; i++) yield this.points[i];
  }

  find(match: (point: VitalPoint) => boolean): VitalPoint | undefined {
    for (let i = 0; i < this.length; i++) if (match(this.points[i])) return this.points[i];
    return undefined;
  }

  toArray(): VitalPoint[] {
    return this.points.slice(0, this.length);
  }
}
