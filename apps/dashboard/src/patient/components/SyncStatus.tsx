import { useConnectionStatus } from '../../realtime/useConnectionStatus';
import type { OutboxItem } from '@vigil/outbox';
import { NOT_REACHED_ID, notReached } from './NotReachedNotice';

/**
 * One calm line under the header: is the phone connected, and how much is still only on the
 * phone. Shown on every screen so nobody has to wonder whether a check-in got through.
 */
export function SyncStatus({ items }: { items: readonly OutboxItem[] }) {
  const connection = useConnectionStatus();
  const waiting = items.filter((i) => i.status === 'pending' && i.kind !== 'transition').length;
  // Anything refused for good is not "sent", of whichever session, until the patient has read
  // the notice that lists it (the link goes there).
  const refused = notReached(items).length;
  const connected = connection.state === 'live' && globalThis.navigator?.onLine !== false;
  const tone = waiting > 0 || refused > 0 ? 'waiting' : connected ? 'ok' : 'offline';
  return (
    <div className={`pt-sync pt-sync-${tone}`} role="status" data-testid="sync-status">
      <span className="pt-sync-dot" aria-hidden="true" />
      <span>
        {connected ? 'Connected' : 'No connection'}
        {' · '}
        {waiting > 0 && `${waiting} waiting to send (saved on this phone)`}
        {waiting > 0 && refused > 0 && ' · '}
        {refused > 0 && <a href={`#${NOT_REACHED_ID}`}>{refused} not accepted: see which</a>}
        {waiting === 0 && refused === 0 && 'everything is sent'}
      </span>
    </div>
  );
}
