import { serverClock } from '../../clock/server-clock';

export const MIN = 60_000;

/**
 * The server's time now in the phone clock specs. Its `Date` header says 10:00:00, written half a
 * second into that second, so the phone's estimate of the server's clock (the middle of what the
 * header proves) is exact.
 */
export const SERVER_NOW = Date.parse('2026-12-04T10:00:00.500Z');

/** `m` minutes from SERVER_NOW, on the server's clock (epoch ms). */
export const serverAt = (m: number): number => SERVER_NOW + m * MIN;

/**
 * The phone's clock (jest's fake system time) reads `skew` off the server's, which is at
 * `serverNow`, and an API answer has just come: the phone knows the offset.
 */
export function setPhoneClock(skew: number, serverNow = SERVER_NOW): void {
  const phone = serverNow + skew;
  jest.setSystemTime(phone);
  serverClock.observeDate(new Date(serverNow).toUTCString(), phone, phone);
}
