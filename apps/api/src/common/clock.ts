/** Injected time source: production uses the wall clock, tests a clock they move by hand. */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** How far ahead of the server clock a device's own time may be (clock skew, not the future). */
export const MAX_CLOCK_AHEAD_MS = 60_000;
