/** "14:05" (or "2:05 PM", as the device's locale writes it): the hour and minute of a moment. */
export const clockTime = (at: string | number) =>
  new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
