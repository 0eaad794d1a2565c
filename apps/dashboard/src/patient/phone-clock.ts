import { serverClock } from '../clock/server-clock';

/**
 * The phone has two clocks, and a phone's own can be minutes off, in the wrong zone or set by
 * hand. The server's, as the phone estimates it from the API's `Date` headers (`serverNow`),
 * judges every server time (`dosedAt`, an event's `at`, `remeasureAfter`). The phone's own is
 * the one the patient reads in the status bar, and the one the contract's phone times are by (a
 * check-in's `takenAt` and `sentAt`, whose offset cancels; a reading's `measuredAt`): those are
 * moved onto the server's clock before they are compared with a server time, and a server time
 * shown to the patient is moved onto the phone's.
 */

/** How far the server's clock is ahead of this phone's (ms; negative: behind). */
export const phoneOffsetMs = (): number => serverClock.offsetMs();

/** A time this phone's clock made (epoch ms), on the server's clock. */
export const phoneToServer = (phoneMs: number, offsetMs = phoneOffsetMs()): number =>
  phoneMs + offsetMs;

/** A server time (epoch ms) as this phone's clock reads it: what the patient compares it with. */
export const serverToPhone = (serverMs: number, offsetMs = phoneOffsetMs()): number =>
  serverMs - offsetMs;
