import { useConnectionStatus } from '../../realtime/useConnectionStatus';
import type { OutboxItem } from '@vigil/outbox';
import { notReached } from './NotReachedNotice';

/**
 * One calm line under the header: is the phone connected, and how much is still only on the
 * phone. Shown on every screen so nobody has to wonder whether a check-in got through.
 */
export function SyncStatus({
  items,
  sessionId = null,
}: {
  items: readonly OutboxItem[];
  /** The session on screen: an earlier session's refusals (kept two days) are not counted. */
  sessionId?: string | null;
}) {
  const connection = useConnectionStatus();
  const waiting = items.filter((i) => i.status === 'pending' && i.kind !== 'transition').length;
  // A help press or check-in refused for good is not "sent": the notice above says what to do.
  const refused = notReached(items).filter(
    (i) => sessionId === null || i.sessionId === sessionId,
  ).length;
  const connected = connection.state === 'live' && globalThis.navigator?.onLine !== false;
  const tone = waiting > 0 || refused > 0 ? 'waiting' : connected ? 'ok' : 'offline';
  return (
    <div className={`pt-sync pt-sync-${tone}`} role="status" data-testid="sync-status">
      <span className="pt-sync-dot" aria-hidden="true" />
      <span>
        {connected ? 'Connected' : 'No connection'}
        {' · '}
        {waiting > 0
          ? `${waiting} waiting to send (saved on this phone)`
          : refused > 0
            ? `${refused} not accepted: call your care team`
            : 'everything is sent'}
      </span>
    </div>
  );
}
