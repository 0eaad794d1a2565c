import type { SocketErrorCode, SubmitAck } from '@vigil/contracts';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';
import type {
  EnqueueRequest,
  OutboxDeps,
  OutboxItem,
  OutboxKind,
  OutboxTransport,
  SendResult,
} from './outbox-types';

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
 * round and schedules the next one with backoff. Only an acknowledgement or a definite refusal ends an item's retries; which
 * answers are definite is the sending half below (`createOutboxTransport`), kept in this file
 * because it is the same rule seen from the wire.
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

// How one item is sent, and which answers end its retries: the outbox's transport (tests give
// the Outbox a fake one; the phone and the simulator give it this one with their socket).

type SocketEvent = 'checkin.submit' | 'vitals.submit' | 'help.request';

export interface TransportDeps {
  /** live.submit: emitWithAck with a timeout; throws when the socket is not connected. */
  submit(event: SocketEvent, payload: Record<string, unknown>): Promise<SubmitAck>;
  /**
   * POST JSON; resolves to the body, or rejects with `{ status }` for an HTTP error. Absent for
   * a paired device, whose credential opens the socket and nothing else: with the socket down
   * its items wait for the next attempt.
   */
  post?(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The phone's clock (epoch ms), for a check-in's or readings' `sentAt`; Date.now by default. */
  now?: () => number;
}

const SOCKET_EVENTS: Partial<Record<OutboxKind, SocketEvent>> = {
  checkin: 'checkin.submit',
  vitals: 'vitals.submit',
  help: 'help.request',
};

const REST_PATHS: Record<OutboxKind, string> = {
  checkin: 'check-ins',
  vitals: 'vitals',
  help: 'help',
  screening: 'screening',
  dose: 'dose',
  transition: 'transition',
  // No socket event carries a message: it always goes over REST.
  message: 'messages',
};

/** Refusals that will not change on a retry; anything else (rate limits, outages) may pass. */
const FINAL_SOCKET_ERRORS: ReadonlySet<SocketErrorCode> = new Set([
  'invalid',
  'forbidden',
  'not_found',
  'conflict',
]);
const FINAL_HTTP_STATUSES = new Set([400, 403, 404, 409, 413, 422]);

/** A server's Retry-After is followed up to this (a wrong header must not park a help press). */
const MAX_RETRY_AFTER_MS = 60_000;

/** `retryAfterSeconds` on the error a REST client threw for a 429 or 503, if the server sent it. */
function retryAfterMsOf(err: unknown): number | undefined {
  const seconds = (err as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? seconds * 1000
    : undefined;
}

function statusOf(err: unknown): number | null {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

/**
 * Sends one outbox item: over the socket when it is up (the fast path), otherwise over REST.
 * Both carry the same clientId and body, so a socket ack lost in a timeout followed by a REST
 * retry is recognised by the server as the same submission and answered `duplicate: true`.
 */
export function createOutboxTransport(deps: TransportDeps): OutboxTransport {
  const now = deps.now ?? Date.now;
  // A check-in (v1.10) and readings (v1.14) say when this attempt left the phone: with the
  // check-in's `takenAt` or each reading's `measuredAt`, both by the phone's clock, the server
  // tells how long they waited here, whatever that clock says, and counts the check-in schedule
  // and a value's age for NEWS2 from when they were made, not from when a poor network let them in.
  const stamps = (item: OutboxItem) =>
    (item.kind === 'checkin' && typeof item.body.takenAt === 'string') ||
    (item.kind === 'vitals' && Array.isArray(item.body.readings));
  const bodyOf = (item: OutboxItem, stamp: boolean): Record<string, unknown> =>
    stamp && stamps(item) ? { ...item.body, sentAt: new Date(now()).toISOString() } : item.body;
  // A server before v1.10 (v1.14 for readings) refuses the field it does not know (400 naming
  // it), and one that judges it refuses a phone clock far ahead: the item goes again without it,
  // never lost for it.
  const refusedSentAt = (item: OutboxItem, message: string) =>
    stamps(item) && /\bsentAt\b/.test(message);
  const rest = async (item: OutboxItem, stamp: boolean): Promise<SendResult> => {
    if (!deps.post) return { kind: 'retry', message: 'no connection' };
    try {
      const answer = await deps.post(`/api/sessions/${item.sessionId}/${REST_PATHS[item.kind]}`, {
        clientId: item.clientId,
        ...bodyOf(item, stamp),
      });
      const { seq, duplicate, ...response } = answer;
      return {
        kind: 'delivered',
        seq: Number(seq),
        duplicate: duplicate === true,
        response: Object.keys(response).length > 0 ? response : undefined,
      };
    } catch (err) {
      const status = statusOf(err);
      const message = (err as Error).message || 'could not send';
      if (status === 400 && stamp && refusedSentAt(item, message)) return rest(item, false);
      if (status !== null && FINAL_HTTP_STATUSES.has(status)) return { kind: 'rejected', message };
      const afterMs = retryAfterMsOf(err);
      return {
        kind: 'retry',
        message: status === null ? 'no connection' : message,
        ...(afterMs === undefined ? {} : { afterMs }),
      };
    }
  };

  const send = async (item: OutboxItem, stamp: boolean): Promise<SendResult> => {
    const event = SOCKET_EVENTS[item.kind];
    if (event) {
      let ack: SubmitAck | null = null;
      try {
        ack = await deps.submit(event, {
          sessionId: item.sessionId,
          clientId: item.clientId,
          ...bodyOf(item, stamp),
        });
      } catch {
        ack = null; // socket down or ack timed out: REST, with the same clientId, is safe
      }
      if (ack?.ok) return { kind: 'delivered', seq: ack.seq, duplicate: ack.duplicate };
      if (ack && FINAL_SOCKET_ERRORS.has(ack.error.code)) {
        // A paired device has no REST: its readings go again on the socket (REST would only
        // answer "no connection", and every later attempt carry the refused sentAt again).
        if (ack.error.code === 'invalid' && stamp && refusedSentAt(item, ack.error.message))
          return deps.post ? rest(item, false) : send(item, false);
        return { kind: 'rejected', message: ack.error.message };
      }
      // A busy or throttling server answered: the same request over REST at once would only
      // add to its load; the outbox retries later with its backoff.
      if (ack && (ack.error.code === 'unavailable' || ack.error.code === 'rate_limited')) {
        return { kind: 'retry', message: ack.error.message };
      }
    }
    return rest(item, stamp);
  };

  return { send: (item) => send(item, true) };
}
