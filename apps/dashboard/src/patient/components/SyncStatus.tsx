import { useConnectionStatus } from '../../realtime/useConnectionStatus';
import type { OutboxItem } from '@vigil/outbox';

/**
 * One calm line under the header: is the phone connected, and how much is still only on the
 * phone. Shown on every screen so nobody has to wonder whether a check-in got through.
 */
export function SyncStatus({ items }: { items: readonly OutboxItem[] }) {
  const connection = useConnectionStatus();
  const waiting = items.filter((i) => i.status === 'pending' && i.kind !== 'transition').length;
  const connected = connection.state === 'live' && globalThis.navigator?.onLine !== false;
  const tone = waiting > 0 ? 'waiting' : connected ? 'ok' : 'offline';
  return (
    <div className={`pt-sync pt-sync-${tone}`} role="status" data-testid="sync-status">
      <span className="pt-sync-dot" aria-hidden="true" />
      <span>
        {connected ? 'Connected' : 'No connection'}
        {' · '}
        {waiting === 0 ? 'everything is sent' : `${waiting} waiting to send (saved on this phone)`}
      </span>
    </div>
  );
}
