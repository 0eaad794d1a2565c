import { createContext, useContext, useSyncExternalStore } from 'react';
import type { SessionSummary } from '@vigil/contracts';
import type { SessionModel } from '../../read-model/session-model';
import type { SessionStore } from '../../read-model/session-store';

export interface Workspace {
  store: SessionStore;
  sessions: SessionSummary[];
  /** The live list could not be loaded or refreshed: the board must say so, not look calm. */
  listError: string | null;
  listLoading: boolean;
  lockNow(): void;
}

export const WorkspaceContext = createContext<Workspace | null>(null);

export function useWorkspace(): Workspace {
  const ws = useContext(WorkspaceContext);
  if (!ws) throw new Error('useWorkspace outside ClinicianWorkspace');
  return ws;
}

export function useSessionModels(): ReadonlyMap<string, SessionModel> {
  const { store } = useWorkspace();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
