import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@vigil/contracts';

/** The dashboard's socket to `/live`, typed by the events the contract names. */
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long an answer may take before the request counts as lost. */
const ACK_TIMEOUT_MS = 10_000;

/** emitWithAck with a timeout, typed by the answer the contract promises for that event. */
export function ask<T>(
  socket: LiveSocket,
  event: string,
  payload: unknown,
  timeoutMs = ACK_TIMEOUT_MS,
): Promise<T> {
  const timed = socket.timeout(timeoutMs) as unknown as {
    emitWithAck(e: string, p: unknown): Promise<T>;
  };
  return timed.emitWithAck(event, payload);
}
