import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutboxItem, OutboxStore } from '@vigil/outbox';

interface OutboxDb extends DBSchema {
  items: { key: string; value: OutboxItem; indexes: { byUser: string } };
}

export const OUTBOX_DB_NAME = 'vigil-outbox';

/**
 * IndexedDB survives a closed tab, a reload, a crashed browser and hours offline, and unlike
 * localStorage it is written transactionally: `put` resolves only once the write has committed.
 */
export class IdbOutboxStore implements OutboxStore {
  private db: Promise<IDBPDatabase<OutboxDb>> | null = null;

  constructor(private readonly name = OUTBOX_DB_NAME) {}

  private open(): Promise<IDBPDatabase<OutboxDb>> {
    this.db ??= openDB<OutboxDb>(this.name, 1, {
      upgrade(db) {
        const items = db.createObjectStore('items', { keyPath: 'clientId' });
        items.createIndex('byUser', 'userId');
      },
    }).catch((err: unknown) => {
      this.db = null; // let the next call try again rather than keep a failed handle
      throw err;
    });
    return this.db;
  }

  async put(item: OutboxItem): Promise<void> {
    const db = await this.open();
    const tx = db.transaction('items', 'readwrite', { durability: 'strict' });
    await Promise.all([tx.store.put(item), tx.done]);
  }

  async list(userId: string): Promise<OutboxItem[]> {
    const db = await this.open();
    return db.getAllFromIndex('items', 'byUser', userId);
  }

  async remove(clientIds: string[]): Promise<void> {
    const db = await this.open();
    const tx = db.transaction('items', 'readwrite');
    await Promise.all([...clientIds.map((id) => tx.store.delete(id)), tx.done]);
  }
}

/** For browsers that refuse IndexedDB (some private modes): still survives a reload. */
export class LocalStorageOutboxStore implements OutboxStore {
  constructor(
    private readonly storage: Storage = localStorage,
    private readonly key = 'vigil.outbox',
  ) {}

  private read(): OutboxItem[] {
    const raw = this.storage.getItem(this.key);
    return raw ? (JSON.parse(raw) as OutboxItem[]) : [];
  }

  private write(items: OutboxItem[]): void {
    this.storage.setItem(this.key, JSON.stringify(items));
  }

  put(item: OutboxItem): Promise<void> {
    this.write([...this.read().filter((i) => i.clientId !== item.clientId), item]);
    return Promise.resolve();
  }

  list(userId: string): Promise<OutboxItem[]> {
    return Promise.resolve(this.read().filter((i) => i.userId === userId));
  }

  remove(clientIds: string[]): Promise<void> {
    const gone = new Set(clientIds);
    this.write(this.read().filter((i) => !gone.has(i.clientId)));
    return Promise.resolve();
  }
}

/**
 * IndexedDB when the browser allows it, localStorage otherwise; the store is chosen once a page
 * load, and what an earlier load left in localStorage is adopted when IndexedDB is chosen.
 */
export class FallbackOutboxStore implements OutboxStore {
  private chosen: Promise<OutboxStore> | null = null;

  constructor(
    private readonly primary: OutboxStore,
    private readonly fallback: OutboxStore,
  ) {}

  private store(): Promise<OutboxStore> {
    this.chosen ??= this.primary.list('__probe__').then(
      () => this.primary,
      () => this.fallback,
    );
    return this.chosen;
  }

  async put(item: OutboxItem): Promise<void> {
    return (await this.store()).put(item);
  }

  async list(userId: string): Promise<OutboxItem[]> {
    const store = await this.store();
    if (store === this.primary) await this.adopt(userId);
    return store.list(userId);
  }

  /**
   * Rows saved in localStorage on a load when IndexedDB failed (a full disk, Safari's lost
   * connection) move into IndexedDB once it opens again: read from one store only, they would
   * never be sent, and nobody would know.
   */
  private async adopt(userId: string): Promise<void> {
    const left = await this.fallback.list(userId).catch((): OutboxItem[] => []);
    if (left.length === 0) return;
    const kept = new Set((await this.primary.list(userId)).map((i) => i.clientId));
    for (const item of left) if (!kept.has(item.clientId)) await this.primary.put(item);
    await this.fallback.remove(left.map((i) => i.clientId));
  }

  async remove(clientIds: string[]): Promise<void> {
    return (await this.store()).remove(clientIds);
  }
}
