/** Where the last-resort handler reports (Nest's Logger in main.ts). */
export interface LastResortLog {
  error(message: string, stack?: string): void;
}

let unhandled = 0;

/** How many rejections reached the last resort since start (for metrics and tests). */
export function unhandledRejectionCount(): number {
  return unhandled;
}

/**
 * A promise rejection nobody handled must not end an instance that is serving patients (Node's
 * default since v15 is to exit): it is logged, with its stack, as the bug it is, and counted,
 * and the process keeps serving. Uncaught exceptions keep Node's default (exit, and the
 * orchestrator restarts us): after a throw unwinds an unknown stack, state may be corrupt.
 */
export function installLastResortHandlers(log: LastResortLog): () => void {
  const onRejection = (reason: unknown) => {
    unhandled += 1;
    const err = reason instanceof Error ? reason : new Error(String(reason));
    log.error(`unhandled promise rejection (kept serving): ${err.message}`, err.stack);
  };
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
