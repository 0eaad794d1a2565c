import { useSyncExternalStore } from 'react';
import { live, type ConnectionStatus } from './live-connection';

export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(
    (cb) => live.onStatus(cb),
    () => live.getStatus(),
  );
}
