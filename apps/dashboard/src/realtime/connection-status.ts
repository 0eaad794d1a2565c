import type { ServerStatus } from '@vigil/contracts';
import { serverNow } from '../clock/server-clock';

/**
 * Every `since` is on the server's clock (server-clock.ts), as `notSavingSince` comes and as the
 * times beside it on screen are, so "No live data since 10:05" reads against the tiles' times.
 */
export type ConnectionStatus =
  | { state: 'connecting'; since: number }
  /**
   * degraded: this server's link to the others is down; events may arrive seconds late.
   * notSavingSince (v1.8): the server's database has not answered since then; nothing patients
   * send is stored or shown until it does.
   */
  | { state: 'live'; since: number; degraded?: boolean; notSavingSince?: number }
  | { state: 'reconnecting'; since: number }
  | { state: 'offline'; since: number };

/**
 * What a `server.status` makes of a live connection's status, or null when it changes nothing
 * (not live, or the same as shown). A server older than v1.8 sends no `database`: saving.
 */
export function withServerStatus(
  current: ConnectionStatus,
  status: ServerStatus,
  now = serverNow(),
): ConnectionStatus | null {
  if (current.state !== 'live') return null;
  const degraded = status.crossInstanceDelivery === 'degraded';
  const since = Date.parse(status.database?.since ?? '');
  const notSavingSince =
    status.database?.state === 'unavailable' ? (Number.isFinite(since) ? since : now) : undefined;
  if ((current.degraded ?? false) === degraded && current.notSavingSince === notSavingSince) {
    return null;
  }
  return { state: 'live', since: current.since, degraded, notSavingSince };
}

/**
 * The status once the connection is down (`reconnecting`, or `offline` once the browser says so
 * or socket.io gives up). Its `since` is when data last reached this screen, which the banner
 * prints as "No live data since": kept when one down state follows the other, and, after a live
 * connection whose server could not save, the time it stopped saving, not the later drop.
 */
export function wentDown(
  current: ConnectionStatus,
  state: 'reconnecting' | 'offline',
  now = serverNow(),
): ConnectionStatus {
  const stopped = current.state === 'live' ? (current.notSavingSince ?? now) : current.since;
  return { state, since: Math.min(now, stopped) };
}
