/** Plain line logging to stdout: `npm start` interleaves it with the API's own log. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function consoleLogger(quiet: boolean): Logger {
  const line = (level: string, message: string) =>
    `${new Date().toISOString()} [simulator] ${level}${message}`;
  return {
    info: (m) => {
      if (!quiet) console.log(line('', m));
    },
    warn: (m) => console.warn(line('warn: ', m)),
    error: (m) => console.error(line('error: ', m)),
  };
}

/** A sleep that ends early when the simulator stops. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
