import { MAX_DEVICE_CLOCK_BEHIND_MS } from '../../common/clock';

/** What bounds a paired device's readings for one session from below. */
export interface ReadingWindow {
  /** When this device (this pairing, this credential's row) was paired with the patient. */
  pairedAt: Date;
  /** When the session went live (`sessions.live_since`, else its creation). */
  sessionStart: Date;
}

/**
 * Why a device reading measured at `measuredAt` is not this session's, or null. The session is
 * the one "of the patient the device is paired with" (docs/API.md): a reading measured before the
 * pairing was another patient's, or nobody's (a device moved from patient A to B uploads the
 * backlog it took on A), and one measured before the session went live is an earlier day's (a
 * hub's backlog from yesterday alarmed today). A device clock may run behind ours by
 * MAX_DEVICE_CLOCK_BEHIND_MS; further is refused with the bound, to check the device clock.
 */
export function notThisSession(measuredAt: string, window: ReadingWindow): string | null {
  const at = Date.parse(measuredAt);
  const later = window.pairedAt > window.sessionStart;
  const bound = later ? window.pairedAt : window.sessionStart;
  if (at >= bound.getTime() - MAX_DEVICE_CLOCK_BEHIND_MS) return null;
  const what = later ? 'this device was paired with this patient' : 'this session started';
  const minutes = MAX_DEVICE_CLOCK_BEHIND_MS / 60_000;
  return `${measuredAt} is more than ${minutes} minutes before ${what} (${bound.toISOString()}): not a reading of this session, nothing was stored (check the device clock)`;
}
