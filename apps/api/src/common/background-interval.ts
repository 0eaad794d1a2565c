import type { Logger } from '@nestjs/common';
import type { ShutdownState } from './shutdown-state';

type FailureLogger = Pick<Logger, 'error' | 'warn'>;

/**
 * Logs a background task's failure: an error, but a warning once the process is shutting down,
 * when the database may be gone before us (a terminal's Ctrl-C reaches the embedded database as
 * well; an orchestrator stops both) and the failure is what stopping looks like, not a fault.
 */
export function reportBackgroundFailure(
  logger: FailureLogger,
  shutdown: ShutdownState,
  line: string,
): void {
  if (shutdown.draining) logger.warn(`while shutting down: ${line}`);
  else logger.error(line);
}

/**
 * Runs `task` every `ms` in the background, as the presence sweep and the board flush do: a
 * failure is logged and the next run still comes (never an unhandled rejection), and the timer
 * alone does not keep the process alive. The caller clears it on shutdown.
 */
export function backgroundInterval(
  ms: number,
  task: () => Promise<unknown>,
  logger: FailureLogger,
  shutdown: ShutdownState,
  what: string,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    task().catch((err: Error) =>
      reportBackgroundFailure(logger, shutdown, `${what} failed: ${err.message}`),
    );
  }, ms);
  timer.unref();
  return timer;
}
