import type { NextFunction, Request, Response } from 'express';
import type { ErrorBody } from '@vigil/contracts';
import { SHUTDOWN_MESSAGE, SHUTDOWN_RETRY_AFTER_S, type ShutdownState } from './shutdown-state';

/**
 * HTTP's part of the shutdown. Once draining, every answer says `Connection: close`: a client or
 * a balancer keeping connections alive (a phone's outbox, ingress-nginx, an ALB) opens a new one
 * for its next request, through the balancer to another instance, instead of holding this one's
 * server open until SHUTDOWN_TIMEOUT_MS cuts it (which exited 1 under ordinary traffic). Once
 * refusing, a request that still arrives on such a connection is answered 503 "shutting down;
 * retry" before anything is done for it: the alert engine is about to stop, and a help press
 * acknowledged then raised no alert until the next start's watchdog.
 */
export function shutdownGate(shutdown: ShutdownState) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (!shutdown.draining) return next();
    res.setHeader('Connection', 'close');
    if (!shutdown.refusing) return next();
    const body: ErrorBody = {
      statusCode: 503,
      error: 'Service Unavailable',
      message: SHUTDOWN_MESSAGE,
    };
    res.setHeader('Retry-After', String(SHUTDOWN_RETRY_AFTER_S));
    res.status(503).json(body);
  };
}
