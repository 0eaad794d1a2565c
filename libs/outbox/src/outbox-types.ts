import type { BackoffPolicy } from './backoff';

/**
 * What the phone keeps in its outbox. An item is written to the phone's storage before any
 * attempt to send it, and keeps its clientId for life: the server answers a repeat of the same
 * clientId and body with the first result, so a retry can never record anything twice.
 */
export type OutboxKind =
  'checkin' | 'vitals' | 'help' | 'screening' | 'dose' | 'transition' | 'message';

/** pending: saved on this phone, not acknowledged yet; delivered: the server acknowledged it. */
export type OutboxStatus = 'pending' | 'delivered' | 'rejected';

export interface OutboxItem {
  clientId: string;
  /** Items belong to the account that made them: a shared phone never sends another's. */
  userId: string;
  sessionId: string;
  kind: OutboxKind;
  /** The request body without clientId; never changed after enqueue (same body, same answer). */
  body: Record<string, unknown>;
  createdAt: string;
  status: OutboxStatus;
  attempts: number;
  lastAttemptAt?: string;
  lastError?: string;
  seq?: number;
  duplicate?: boolean;
  deliveredAt?: string;
  /**
   * When the patient said they had read that a refused item reached nobody (`Outbox.dismiss`).
   * Until then the phone keeps showing it, whatever session is on screen, and keeps it stored.
   */
  dismissedAt?: string;
  /** Extra fields of the answer, e.g. the pre-dose gate of a screening. */
  response?: Record<string, unknown>;
}

export type SendResult =
  | { kind: 'delivered'; seq: number; duplicate: boolean; response?: Record<string, unknown> }
  /** The server refused it for good (invalid, not allowed): retrying would not help. */
  | { kind: 'rejected'; message: string }
  /**
   * Network, timeout, server trouble or an expired login: try again later; not before `afterMs`
   * when the server said when (`Retry-After` on a 429 or 503).
   */
  | { kind: 'retry'; message: string; afterMs?: number };

export interface OutboxTransport {
  send(item: OutboxItem): Promise<SendResult>;
}

export interface OutboxStore {
  put(item: OutboxItem): Promise<void>;
  list(userId: string): Promise<OutboxItem[]>;
  remove(clientIds: string[]): Promise<void>;
}

export interface OutboxDeps {
  store: OutboxStore;
  transport: OutboxTransport;
  /** False when the browser knows it has no network: do not even try, wait for wake(). */
  isOnline?: () => boolean;
  now?: () => number;
  random?: () => number;
  newClientId?: () => string;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  backoff?: BackoffPolicy;
  /** Tells other tabs of the same phone that the stored items changed. */
  announce?: () => void;
  /**
   * How long a delivered or refused item stays on the device. The phone keeps them two days so
   * its screen can still say "received"; a device with no screen (the simulator) passes 0 and
   * forgets an item as soon as it is settled.
   */
  keepSettledMs?: number;
  /**
   * At most this many pending items; past it the oldest pending vitals batch is dropped (a
   * minute-old oximeter sample is worth less than room for a check-in or a help press).
   * Unbounded when unset: the phone keeps everything its patient entered.
   */
  maxPending?: number;
}

export interface EnqueueRequest {
  sessionId: string;
  kind: OutboxKind;
  body: Record<string, unknown>;
}
