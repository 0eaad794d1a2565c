import { live } from '../../realtime/live-connection';
import { api } from '../../shared/api';
import { createOutboxTransport, Outbox } from '@vigil/outbox';
import { FallbackOutboxStore, IdbOutboxStore, LocalStorageOutboxStore } from './outbox-idb';

const CHANNEL = 'vigil-outbox';

function createPatientOutbox(): Outbox {
  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
  const store =
    typeof indexedDB === 'undefined'
      ? new LocalStorageOutboxStore()
      : new FallbackOutboxStore(new IdbOutboxStore(), new LocalStorageOutboxStore());
  const outbox = new Outbox({
    store,
    transport: createOutboxTransport({
      submit: (event, payload) => live.submit(event, payload),
      post: (path, body) => api<Record<string, unknown>>('POST', path, body),
    }),
    isOnline: () => globalThis.navigator?.onLine !== false,
    announce: () => channel?.postMessage('changed'),
  });
  // Another tab of the same phone sent or added something: show the same truth here.
  if (channel) channel.onmessage = () => void outbox.reload();
  globalThis.addEventListener?.('online', () => outbox.wake());
  live.onReconnect(() => outbox.wake());
  return outbox;
}

/** The phone's one outbox; every patient submission goes through it. */
export const patientOutbox = createPatientOutbox();
