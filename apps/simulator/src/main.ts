import { parseCliOptions, USAGE } from './cli-options';
import { consoleLogger } from './sim-log';
import { runSimulator } from './simulator';

/** `node dist/apps/simulator/src/main.js --sessions 12 --speed 10`; SIGINT/SIGTERM stop it. */
async function main(): Promise<void> {
  let options: ReturnType<typeof parseCliOptions>;
  try {
    options = parseCliOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`[simulator] ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const log = consoleLogger(options.quiet);
  const controller = new AbortController();
  const stop = (why: string) => {
    if (controller.signal.aborted) return;
    log.info(`${why}: stopping`);
    controller.abort();
    // Sockets and timers are closed by then; this only guards against a hung request.
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (options.durationSeconds !== null) {
    setTimeout(
      () => stop(`${options.durationSeconds} s elapsed`),
      options.durationSeconds * 1000,
    ).unref();
  }
  await runSimulator(options, log, controller.signal);
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`[simulator] ${err.message}`);
    process.exit(1);
  },
);
