import { Injectable } from '@nestjs/common';

/** What a request caught by the shutdown is told, over REST (503) and the socket (`unavailable`). */
export const SHUTDOWN_MESSAGE = 'server: shutting down; retry';
/** How long a client told "shutting down" waits before it retries (by then on another instance). */
export const SHUTDOWN_RETRY_AFTER_S = 1;

/**
 * Set when the process is told to stop (SIGTERM), before anything closes: readiness answers 503
 * from then on so the load balancer stops sending new work while in-flight requests and sockets
 * finish. Terminus's own graceful-shutdown delay runs only after onModuleDestroy, when the
 * watchdog and the gateway's listeners are already gone, hence this flag of our own.
 *
 * Two steps: `draining` (still serving, while the balancer moves work away) from `begin()`, then
 * `refusing` from `stopAccepting()`, once the drain is over and the servers close: a request or
 * socket message arriving then on a connection kept open is refused, to be sent again, because
 * the alert engine and the watchdog stop soon after and would not evaluate it (`stopServing`).
 */
@Injectable()
export class ShutdownState {
  private since: Date | null = null;
  private refusingSince: Date | null = null;

  begin(): void {
    this.since ??= new Date();
  }

  stopAccepting(): void {
    this.begin();
    this.refusingSince ??= new Date();
  }

  get draining(): boolean {
    return this.since !== null;
  }

  get refusing(): boolean {
    return this.refusingSince !== null;
  }
}
