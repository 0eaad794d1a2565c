import type { SocketErrorCode, SubmitAck } from '@vigil/contracts';
import type { OutboxItem, OutboxKind, OutboxTransport, SendResult } from './outbox-types';

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
