import { useSyncExternalStore } from 'react';

const subscribe = (cb: () => void) => {
  globalThis.addEventListener?.('online', cb);
  globalThis.addEventListener?.('offline', cb);
  return () => {
    globalThis.removeEventListener?.('online', cb);
    globalThis.removeEventListener?.('offline', cb);
  };
};

/**
 * False when the browser knows it has no network: the phone's outbox does not even try to send
 * then (patient-outbox.ts), so nothing saved on the phone is on its way to anyone.
 */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, () => globalThis.navigator?.onLine !== false);
}
