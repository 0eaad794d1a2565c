import type { OutboxItem } from '@vigil/outbox';
import { LocalStorageOutboxStore } from './outbox-idb';

describe('LocalStorageOutboxStore', () => {
  it('keeps items across instances and lists only the given account', async () => {
    localStorage.clear();
    const item = { clientId: 'c1', userId: 'u1', sessionId: 's', kind: 'help' } as OutboxItem;
    await new LocalStorageOutboxStore().put(item);
    await new LocalStorageOutboxStore().put({ ...item, clientId: 'c2', userId: 'u2' });
    expect((await new LocalStorageOutboxStore().list('u1')).map((i) => i.clientId)).toEqual(['c1']);
    await new LocalStorageOutboxStore().remove(['c1']);
    expect(await new LocalStorageOutboxStore().list('u1')).toEqual([]);
  });
});
