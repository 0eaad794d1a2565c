import { backoffDelay, DEFAULT_BACKOFF } from './backoff';
import type { EnqueueRequest, OutboxDeps, OutboxItem, SendResult } from './outbox-types';

/** A server's Retry-After is followed up to this (a wrong header must not park a help press). */
const MAX_RETRY_AFTER_MS = 60_000;

/** Delivered items are kept this long so the screen can still say "received". */
const KEEP_SETTLED_MS = 2 * 24 * 3600_000;

/** Help jumps the queue; everything else goes in the order it was made (dose before monitoring). */
function sendOrder(a: OutboxItem, b: OutboxItem): number {
  const help = Number(b.kind === 'help') - Number(a.kind === 'help');
  return help || a.createdAt.localeCompare(b.createdAt) || a.clientId.localeCompare(b.clientId);
}

/** Help presses are sent in a lane of their own; everything else in the routine lane. */
type Lane = 'help' | 'routine';
const laneOf = (item: OutboxItem): Lane => (item.kind === 'help' ? 'help' : 'routine');

/**
 * The phone's outbox: persist first, then send, until the server acknowledges. Each lane runs
 * one flush at a time and sends its items one by one, so a session's actions reach the server in
 * order; help presses have a lane of their own, so one never waits behind a routine item whose
 * attempt is still out (a socket ack times out after 10 s, a REST fallback on a stalled mobile
 * network can hang longer). A failure that may pass (network, timeout, 5xx) stops the lane's
 * round and schedules the next one with backoff. Only an acknowledgement or a definite refusal
 * ends an item's retries; which answers are definite is the transport's rule
 * (`createOutboxTransport`, outbox-transport.ts), the only place it is written.
 */
export class Outbox {
  private items: OutboxItem[] = [];
  private userId: string | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly flushing: Record<Lane, Promise<void> | null> = { help: null, routine: null };
  private readonly again: Record<Lane, boolean> = { help: false, routine: false };
  private failures = 0;
  private timer: unknown = null;
  private nextRetryAt: number | null = null;
  private readonly deps: Required<Omit<OutboxDeps, 'announce' | 'maxPending'>> &
    Pick<OutboxDeps, 'announce' | 'maxPending'>;

  constructor(deps: OutboxDeps) {
    this.deps = {
      isOnline: () => true,
      now: () => Date.now(),
      random: Math.random,
      newClientId: () => crypto.randomUUID(),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      backoff: DEFAULT_BACKOFF,
      keepSettledMs: KEEP_SETTLED_MS,
      ...deps,
    };
  }

  /** Loads what this account left on the phone (a closed tab, a reload) and sends it. */
  async open(userId: string): Promise<void> {
    if (this.userId !== userId) {
      this.userId = userId;
      this.items = [];
      this.failures = 0;
    }
    await this.reload();
    const cutoff = this.deps.now() - this.deps.keepSettledMs;
    // A refusal the patient has not read yet is kept however old: nobody saw what it carried.
    // A session step is not one: the phone shows its refusal at once and never asks it be read.
    const old = this.items.filter(
      (i) =>
        (i.status === 'delivered' || i.dismissedAt !== undefined || i.kind === 'transition') &&
        Date.parse(i.deliveredAt ?? i.createdAt) < cutoff,
    );
    if (old.length > 0) {
      await this.deps.store.remove(old.map((i) => i.clientId));
      await this.reload();
    }
    void this.flush();
  }

  /** Re-reads the stored items, e.g. after another tab changed them. */
  async reload(): Promise<void> {
    const userId = this.userId;
    if (!userId) return;
    const stored = await this.deps.store.list(userId);
    if (userId !== this.userId) return;
    this.items = stored.sort(sendOrder);
    this.emit();
  }

  close(): void {
    this.userId = null;
    this.items = [];
    this.cancelTimer();
    this.emit();
  }

  /** Resolves once the item is stored on the phone; sending happens after, in the background. */
  async enqueue(request: EnqueueRequest): Promise<OutboxItem> {
    const userId = this.userId;
    if (!userId) throw new Error('The outbox is not open: sign in first.');
    const item: OutboxItem = {
      clientId: `${request.kind}-${this.deps.newClientId()}`,
      userId,
      sessionId: request.sessionId,
      kind: request.kind,
      body: request.body,
      createdAt: new Date(this.deps.now()).toISOString(),
      status: 'pending',
      attempts: 0,
    };
    await this.deps.store.put(item);
    this.items = [...this.items, item].sort(sendOrder);
    await this.dropOverflow();
    this.emit();
    this.deps.announce?.();
    // Something new to send is a reason to try now rather than wait out the backoff.
    this.wake();
    return item;
  }

  /** The patient has read that these refused items reached nobody: the phone stops saying so. */
  async dismiss(clientIds: readonly string[]): Promise<void> {
    const at = new Date(this.deps.now()).toISOString();
    const read = this.items
      .filter((i) => clientIds.includes(i.clientId) && i.status === 'rejected' && !i.dismissedAt)
      .map((i) => ({ ...i, dismissedAt: at }));
    if (read.length === 0) return;
    // A write that fails leaves the refusal stored as unread: the phone shows it again, the safe way.
    for (const item of read) await this.deps.store.put(item).catch(() => undefined);
    this.items = this.items.map((i) => read.find((r) => r.clientId === i.clientId) ?? i);
    this.emit();
    this.deps.announce?.();
  }

  /** The network came back (or the socket reconnected): forget the backoff and send now. */
  wake(): void {
    this.failures = 0;
    this.cancelTimer();
    void this.flush();
  }

  flush(): Promise<void> {
    return Promise.all([this.flushLane('help'), this.flushLane('routine')]).then(() => undefined);
  }

  private flushLane(lane: Lane): Promise<void> {
    const running = this.flushing[lane];
    if (running) {
      this.again[lane] = true;
      return running;
    }
    const run = (async () => {
      try {
        do {
          this.again[lane] = false;
          await this.sendRound(lane);
        } while (this.again[lane]);
      } finally {
        this.flushing[lane] = null;
      }
    })();
    this.flushing[lane] = run;
    return run;
  }

  getItems(): readonly OutboxItem[] {
    return this.items;
  }

  /** When the next automatic attempt is due, if one is scheduled. */
  getNextRetryAt(): number | null {
    return this.nextRetryAt;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async sendRound(lane: Lane): Promise<void> {
    if (!this.deps.isOnline()) return; // the 'online' event will wake us
    for (;;) {
      const item = this.items.find((i) => i.status === 'pending' && laneOf(i) === lane);
      if (!item || item.userId !== this.userId) return;
      const result = await this.attempt(item);
      if (result.kind === 'retry') {
        this.failures += 1;
        // The server's Retry-After, when it gave one, is the earliest a retry can help: sooner
        // only adds to the load of a server that is refusing for load (or restarting).
        const told = Math.min(result.afterMs ?? 0, MAX_RETRY_AFTER_MS);
        const backoff = backoffDelay(this.failures, this.deps.random(), this.deps.backoff);
        this.schedule(Math.max(backoff, told));
        return;
      }
      this.failures = 0;
    }
  }

  private async attempt(item: OutboxItem): Promise<SendResult> {
    let result: SendResult;
    try {
      result = await this.deps.transport.send(item);
    } catch (err) {
      result = { kind: 'retry', message: (err as Error).message || 'could not send' };
    }
    const at = new Date(this.deps.now()).toISOString();
    const next: OutboxItem = { ...item, attempts: item.attempts + 1, lastAttemptAt: at };
    if (result.kind === 'delivered') {
      Object.assign(next, {
        status: 'delivered',
        seq: result.seq,
        duplicate: result.duplicate,
        deliveredAt: at,
        response: result.response,
        lastError: undefined,
      });
    } else if (result.kind === 'rejected') {
      Object.assign(next, { status: 'rejected', lastError: result.message });
    } else {
      next.lastError = result.message;
    }
    // Record the outcome on the phone; if that write fails the item stays pending and a
    // later resend is answered as a duplicate, which is harmless.
    if (next.status !== 'pending' && this.deps.keepSettledMs <= 0) {
      await this.deps.store.remove([item.clientId]).catch(() => undefined);
      this.items = this.items.filter((i) => i.clientId !== item.clientId);
    } else {
      await this.deps.store.put(next).catch(() => undefined);
      this.items = this.items.map((i) => (i.clientId === item.clientId ? next : i));
    }
    this.emit();
    if (result.kind !== 'retry') this.deps.announce?.();
    return result;
  }

  private async dropOverflow(): Promise<void> {
    const max = this.deps.maxPending;
    if (max === undefined) return;
    const pending = this.items.filter((i) => i.status === 'pending');
    if (pending.length <= max) return;
    // `items` is in send order, which among vitals batches is the order they were made.
    const oldest = pending
      .filter((i) => i.kind === 'vitals')
      .slice(0, pending.length - max)
      .map((i) => i.clientId);
    if (oldest.length === 0) return;
    await this.deps.store.remove(oldest);
    const dropped = new Set(oldest);
    this.items = this.items.filter((i) => !dropped.has(i.clientId));
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    this.nextRetryAt = this.deps.now() + ms;
    this.timer = this.deps.setTimer(() => {
      this.timer = null;
      this.nextRetryAt = null;
      void this.flush();
    }, ms);
    this.emit();
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
    this.nextRetryAt = null;
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
