/** The time a dose was taken, typed as a clock time on the phone. */
export const hhmm = (d: Date) =>
  `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

/** A typed time this far ahead of the phone's clock is this minute, read as now. */
const THIS_MINUTE_MS = 60_000;
/** A typed time later than now is yesterday's when that is this recent (a dose before midnight). */
const YESTERDAY_WITHIN_MS = 2 * 60 * 60_000;

/**
 * "14:05" in the phone's time zone as an ISO instant, never after `now` (the server refuses a
 * dose time ahead of its clock, finally, and the dose could then not be recorded): today's, or
 * `now` when it is the minute now, or yesterday's when that was within the last two hours
 * ("23:58" confirmed at 00:03). Null when it is not a time; `ahead` when it is later than now.
 */
export function takenAtFrom(time: string, now: Date): { at: string } | 'ahead' | null {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return null;
  let at = new Date(now);
  at.setHours(Number(match[1]), Number(match[2]), 0, 0);
  // The hour the clocks go back happens twice: setHours picks the first; the second, an hour
  // later, is the one meant when it is not after now (01:05 typed at 01:10 GMT is 01:05 GMT).
  const second = new Date(at.getTime() + 60 * 60_000);
  if (
    second.getHours() === at.getHours() &&
    second.getMinutes() === at.getMinutes() &&
    second <= now
  )
    at = second;
  const ahead = at.getTime() - now.getTime();
  if (ahead <= 0) return { at: at.toISOString() };
  if (ahead < THIS_MINUTE_MS) return { at: now.toISOString() };
  const yesterday = new Date(at);
  yesterday.setDate(at.getDate() - 1);
  if (now.getTime() - yesterday.getTime() <= YESTERDAY_WITHIN_MS)
    return { at: yesterday.toISOString() };
  return 'ahead';
}
