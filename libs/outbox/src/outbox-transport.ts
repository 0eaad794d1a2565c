import type { SocketErrorCode, SubmitAck } from '@vigil/contracts';
import type { OutboxItem, OutboxKind, OutboxTransport, SendResult } from './outbox-types';

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
  const rest = async (item: OutboxItem): Promise<SendResult> => {
    if (!deps.post) return { kind: 'retry', message: 'no connection' };
    try {
      const answer = await deps.post(`/api/sessions/${item.sessionId}/${REST_PATHS[item.kind]}`, {
        clientId: item.clientId,
        ...item.body,
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
      if (status !== null && FINAL_HTTP_STATUSES.has(status)) return { kind: 'rejected', message };
      return { kind: 'retry', message: status === null ? 'no connection' : message };
    }
  };

  return {
    async send(item) {
      const event = SOCKET_EVENTS[item.kind];
      if (event) {
        let ack: SubmitAck | null = null;
        try {
          ack = await deps.submit(event, {
            sessionId: item.sessionId,
            clientId: item.clientId,
            ...item.body,
          });
        } catch {
          ack = null; // socket down or ack timed out: REST, with the same clientId, is safe
        }
        if (ack?.ok) return { kind: 'delivered', seq: ack.seq, duplicate: ack.duplicate };
        if (ack && FINAL_SOCKET_ERRORS.has(ack.error.code)) {
          return { kind: 'rejected', message: ack.error.message };
        }
        // A busy or throttling server answered: the same request over REST at once would only
        // add to its load; the outbox retries later with its backoff.
        if (ack && (ack.error.code === 'unavailable' || ack.error.code === 'rate_limited')) {
          return { kind: 'retry', message: ack.error.message };
        }
      }
      return rest(item);
    },
  };
}
