import { Injectable } from '@nestjs/common';

/** What a request caught by the shutdown is told, over REST (503) and the socket (`unavailable`). */
export const SHUTDOWN_MESSAGE = 'server: shutting down; retry';

/**
 * Set when the process is told to stop (SIGTERM), before anything closes: readiness answers 503
 * from then on so the load balancer stops sending new work while in-flight requests and sockets
 * finish. Terminus's own graceful-shutdown delay runs only after onModuleDestroy, when the
 * watchdog and the gateway's listeners are already gone, hence this flag of our own.
 */
@Injectable()
export class ShutdownState {
  private since: Date | null = null;

  begin(): void {
    this.since ??= new Date();
  }

  get draining(): boolean {
    return this.since !== null;
  }
}
