/**
 * A review of b2b0288 (a refusal is kept until the patient has read it): what the phone can
 * never show the patient can never be "read", so it must still age out like any settled item.
 */
import { Outbox } from './outbox';
import type { OutboxItem, OutboxStore } from './outbox-types';

class MemoryStore implements OutboxStore {
  readonly rows = new Map<string, OutboxItem>();
  put(item: OutboxItem) {
    this.rows.set(item.clientId, JSON.parse(JSON.stringify(item)) as OutboxItem);
    return Promise.resolve();
  }
  list(userId: string) {
    return Promise.resolve([...this.rows.values()].filter((i) => i.userId === userId));
  }
  remove(ids: string[]) {
    for (const id of ids) this.rows.delete(id);
    return Promise.resolve();
  }
}

const DAY = 24 * 3600_000;

describe('refused items the patient is never shown', () => {
  it('a refused session step (transition), shown nowhere and so never dismissed, is not kept forever', async () => {
    const store = new MemoryStore();
    let now = Date.parse('2026-11-26T10:00:00Z');
    let ids = 0;
    // As the phone makes it (patient-outbox.ts): the two-day default for settled items.
    const make = () =>
      new Outbox({
        store,
        transport: {
          send: () =>
            Promise.resolve({
              kind: 'rejected' as const,
              message: 'state: the session is ended; nothing more can be sent to it',
            }),
        },
        now: () => now,
        random: () => 1,
        newClientId: () => `id${++ids}`,
        setTimer: () => 0,
        clearTimer: () => undefined,
      });
    const outbox = make();
    await outbox.open('u1');
    const step = await outbox.enqueue({
      sessionId: 's1',
      kind: 'transition',
      body: { action: 'end' },
    });
    await outbox.flush();
    expect(store.rows.get(step.clientId)?.status).toBe('rejected');

    // NotReachedNotice (notReached) leaves transitions out, so "I have read this" never covers it
    // and it never gets dismissedAt; open() now removes only delivered or dismissed items.
    now += 30 * DAY;
    const later = make();
    await later.open('u1');
    expect(store.rows.has(step.clientId)).toBe(false);
  });
});
