import { parseSessionEvent, type SessionEvent } from '@vigil/contracts';

/**
 * Where the dashboard takes in session events (the socket, REST pages): each is parsed once by
 * the contract's schema of its type, and every reader after this reads typed data. An event that
 * does not parse (a type a newer server added, a bug) is left out and reported, never read by
 * halves; callers count its seq all the same, so the log stays gapless and no resync loops on it.
 */
export function receivedEvents(raw: readonly unknown[]): SessionEvent[] {
  const events: SessionEvent[] = [];
  for (const item of raw) {
    const parsed = parseSessionEvent(item);
    if (parsed.ok) events.push(parsed.event);
    else console.warn(`session event skipped: ${parsed.error}`);
  }
  return events;
}
