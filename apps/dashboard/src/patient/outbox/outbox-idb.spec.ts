/**
 * @jest-environment node
 */
import 'fake-indexeddb/auto';
import { FallbackOutboxStore, IdbOutboxStore } from './outbox-idb';
import type { OutboxItem, OutboxStore } from '@vigil/outbox';

const item = (clientId: string, userId = 'u1'): OutboxItem => ({
  clientId,
  userId,
  sessionId: 's1',
  kind: 'checkin',
  body: { moaas: 5 },
  createdAt: '2026-11-26T10:00:00.000Z',
  status: 'pending',
  attempts: 0,
});

describe('IdbOutboxStore', () => {
  it('keeps items in IndexedDB across store instances (a reload), one row per clientId', async () => {
    const first = new IdbOutboxStore('reload-test');
    await first.put(item('a'));
    await first.put(item('b', 'u2'));
    await first.put({ ...item('a'), status: 'delivered', seq: 3 });

    const reloaded = new IdbOutboxStore('reload-test');
    expect(await reloaded.list('u1')).toEqual([{ ...item('a'), status: 'delivered', seq: 3 }]);
    await reloaded.remove(['a']);
    expect(await reloaded.list('u1')).toEqual([]);
    expect((await reloaded.list('u2')).map((i) => i.clientId)).toEqual(['b']);
  });

  it('falls back to the second store when IndexedDB cannot be opened', async () => {
    const rows: OutboxItem[] = [];
    const broken: OutboxStore = {
      put: () => Promise.reject(new Error('no idb')),
      list: () => Promise.reject(new Error('no idb')),
      remove: () => Promise.reject(new Error('no idb')),
    };
    const memory: OutboxStore = {
      put: (i) => Promise.resolve(void rows.push(i)),
      list: () => Promise.resolve(rows),
      remove: () => Promise.resolve(),
    };
    const store = new FallbackOutboxStore(broken, memory);
    await store.put(item('x'));
    expect((await store.list('u1')).map((i) => i.clientId)).toEqual(['x']);
  });
  it('adopts what a load without IndexedDB left in localStorage once IndexedDB opens again', async () => {
    const rows = new Map<string, OutboxItem>();
    const local: OutboxStore = {
      put: (i) => Promise.resolve(void rows.set(i.clientId, i)),
      list: (u) => Promise.resolve([...rows.values()].filter((i) => i.userId === u)),
      remove: (ids) => Promise.resolve(ids.forEach((id) => rows.delete(id))),
    };
    const failing: OutboxStore = {
      put: () => Promise.reject(new Error('UnknownError')),
      list: () => Promise.reject(new Error('UnknownError')),
      remove: () => Promise.reject(new Error('UnknownError')),
    };
    await new FallbackOutboxStore(failing, local).put(item('saved-offline'));
    // The next load: IndexedDB opens. The check-in saved in localStorage must still be sent.
    const idb = new IdbOutboxStore('adopt-test');
    const after = new FallbackOutboxStore(idb, local);
    expect((await after.list('u1')).map((i) => i.clientId)).toEqual(['saved-offline']);
    expect((await idb.list('u1')).map((i) => i.clientId)).toEqual(['saved-offline']);
    expect(rows.size).toBe(0);
  });
});
