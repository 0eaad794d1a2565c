import type { Logger } from '@nestjs/common';

/**
 * Runs `task` every `ms` in the background, as the presence sweep and the board flush do: a
 * failure is logged and the next run still comes (never an unhandled rejection), and the timer
 * alone does not keep the process alive. The caller clears it on shutdown.
 */
export function backgroundInterval(
  ms: number,
  task: () => Promise<unknown>,
  logger: Pick<Logger, 'error'>,
  what: string,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    task().catch((err: Error) => logger.error(`${what} failed: ${err.message}`));
  }, ms);
  timer.unref();
  return timer;
}
