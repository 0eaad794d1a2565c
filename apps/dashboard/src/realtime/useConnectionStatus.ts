import { useSyncExternalStore } from 'react';
import type { ConnectionStatus } from './connection-status';
import { live } from './live-connection';

export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(
    (cb) => live.onStatus(cb),
    () => live.getStatus(),
  );
}
