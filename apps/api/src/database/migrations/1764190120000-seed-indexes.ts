import { ConcurrentIndexesMigration } from './frozen/concurrent-index';

/**
 * A session's last check-in and last message, each found in one index step: the board's first
 * summary of a session on an instance (after a restart, `readBoardSeeds`) reads them, and without
 * these indexes it walked the session's log back from its head through every reading since (a
 * 1 Hz phone: 900 rows for a check-in 15 minutes old, the whole log for a session with none).
 * Check-ins and messages are a few an hour per session, so the indexes are small and cost nothing
 * on the readings' inserts. Built concurrently: `session_events` is the biggest table there is.
 */
export class SeedIndexes1764190120000 extends ConcurrentIndexesMigration {
  name = 'SeedIndexes1764190120000';
  protected indexes = [
    [
      'session_events_checkins',
      `ON session_events (session_id, seq) WHERE type = 'checkin.recorded'`,
    ],
    ['session_events_messages', `ON session_events (session_id, seq) WHERE type = 'message.sent'`],
  ] as const;
}
