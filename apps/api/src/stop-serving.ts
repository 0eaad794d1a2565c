import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { ShutdownState } from './common/shutdown-state';
import { LiveEmitter } from './modules/realtime/live-emitter';
import { LiveInbound } from './modules/realtime/live-inbound';

/** How often connections that went idle since the server closed are closed in turn. */
const IDLE_SWEEP_MS = 100;

/**
 * The first step of closing, past the drain and before app.close(): take nothing new, answer what
 * was taken, end every connection, all while the alert engine and the watchdog still run. Nest's
 * close stops them (onModuleDestroy) before it closes the HTTP and socket servers (dispose), and
 * the HTTP server's close waited for every connection a client kept alive and busy: the instance
 * went on acknowledging submissions with no engine to evaluate them (a help press: 201, and no
 * alert until the next start's watchdog caught it up) until SHUTDOWN_TIMEOUT_MS cut them (exit 1).
 *
 * - Refuse (ShutdownState.stopAccepting): a request on a kept-alive connection is answered 503
 *   "shutting down; retry" (shutdownGate), a socket message `unavailable`, a socket handshake
 *   refused; the phone's outbox sends it again, with its clientId, stored once.
 * - The HTTP server stops listening and closes its idle connections, and those that go idle later
 *   (answers from the gate and Nest say `Connection: close`; Socket.IO's polling answers do not).
 * - Socket messages in progress are answered, then the sockets' connections are closed.
 *
 * Resolves once every HTTP connection has ended: each submission acknowledged over either path
 * has been committed and handed to the alert engine, whose passes app.close() then waits for
 * (AlertEngineService.onModuleDestroy). Bounded by the caller (closeWithin).
 */
export async function stopServing(app: INestApplication): Promise<void> {
  app.get(ShutdownState).stopAccepting();
  const server = app.getHttpServer() as Server;
  // Called back with an error if it was not listening (told to stop while starting): done too.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  try {
    await app.get(LiveInbound).settled();
    app.get(LiveEmitter).closeLocalConnections();
    await closed;
  } finally {
    clearInterval(sweep);
  }
}
