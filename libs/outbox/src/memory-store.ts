import type { OutboxItem, OutboxStore } from './outbox-types';

/**
 * An outbox store that lives as long as the process: for a device with no storage of its own
 * (the simulator's phones and paired devices), where a restart starts from an empty outbox.
 */
export class MemoryOutboxStore implements OutboxStore {
  private readonly rows = new Map<string, OutboxItem>();

  put(item: OutboxItem): Promise<void> {
    this.rows.set(item.clientId, item);
    return Promise.resolve();
  }

  list(userId: string): Promise<OutboxItem[]> {
    return Promise.resolve([...this.rows.values()].filter((i) => i.userId === userId));
  }

  remove(clientIds: string[]): Promise<void> {
    for (const id of clientIds) this.rows.delete(id);
    return Promise.resolve();
  }
}
