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

/**
 * How far before its pairing with the patient, or before the session went live, a paired device
 * may date a reading (v1.13): a device clock that many minutes slow. Earlier is not this session's
 * reading (a hub's backlog from yesterday, the readings a device took while paired with another
 * patient, a clock reset to 0001): refused naming the field, "check the device clock". Wide
 * enough for an oximeter a few minutes slow, which the alert engine judges on its own clock.
 */
export const MAX_DEVICE_CLOCK_BEHIND_MS = 5 * 60_000;

/**
 * How far ahead of the server clock a patient's phone may date a reading or a check-in (v1.12).
 * A phone's clock is the patient's own: set by hand, in the wrong zone, minutes fast. Refused at
 * a minute ahead, its check-ins and typed readings were lost (a 400 is final to its outbox), a
 * MOAA/S 1 with them. Stored as sent, a time ahead outranks no later reading: the engine, the
 * board and the latest readings count a reading at its measured time capped at its commit
 * (`parseReadings`, `readingRank`). A day ahead is a broken clock, refused naming the field.
 */
export const MAX_PHONE_CLOCK_AHEAD_MS = 24 * 60 * 60_000;
