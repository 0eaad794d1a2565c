import { useSyncExternalStore } from 'react';
import type { OutboxItem } from '@vigil/outbox';
import { patientOutbox } from '../outbox/patient-outbox';

/** The phone's outbox items for this account, re-rendered on every change. */
export function useOutbox(): readonly OutboxItem[] {
  return useSyncExternalStore(
    (cb) => patientOutbox.subscribe(cb),
    () => patientOutbox.getItems(),
  );
}
