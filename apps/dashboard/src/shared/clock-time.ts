/** "14:05" (or "2:05 PM", as the device's locale writes it): the hour and minute of a moment. */
export const clockTime = (at: string | number) =>
  new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * The hour and minute, with the weekday when it was not today ("Mon 14:05"): a refusal kept
 * until it is read may be days old, and "14:05" alone reads as today's.
 */
export const clockTimeOrDay = (at: string | number, now: number = Date.now()) => {
  const when = new Date(at);
  return when.toDateString() === new Date(now).toDateString()
    ? clockTime(at)
    : when.toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' });
};
