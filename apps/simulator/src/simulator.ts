import { setMaxListeners } from 'node:events';
import type { SimulatorOptions } from './cli-options';
import { PatientRunner } from './patient-runner';
import { sleep, type Logger } from './sim-log';
import { StaffAccess } from './staff-access';

const STATUS_EVERY_MS = 30_000;

/**
 * Runs `sessions` simulated patients until the signal aborts (or, with --no-repeat, until every
 * session has ended). A patient whose run fails (API down, refused) starts over after a pause,
 * so the simulator rides out an API restart.
 */
export async function runSimulator(
  options: SimulatorOptions,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  // Every patient's sleeps listen on the one stop signal.
  setMaxListeners(0, signal);
  const staff = new StaffAccess(options, log, () => signal.aborted);
  const runners = Array.from(
    { length: options.sessions },
    (_, i) => new PatientRunner(i, options, staff, log, signal),
  );
  log.info(
    `${options.sessions} simulated patients against ${options.url}, speed ${options.speed}x, seed ${options.seed}`,
  );
  const status = setInterval(() => log.info(statusLine(runners)), STATUS_EVERY_MS);
  status.unref();
  try {
    await Promise.all(
      runners.map(async (runner, i) => {
        await sleep((i * 1_000) / options.ramp, signal);
        while (!signal.aborted) {
          try {
            await runner.run();
            return;
          } catch (err) {
            runner.state = 'failed, retrying';
            log.warn(`${runner.label}: ${(err as Error).message}; retrying in 15 s`);
            await sleep(15_000, signal);
          }
        }
      }),
    );
  } finally {
    clearInterval(status);
    // A patient stopped while waiting to start over after a failed run kept its phone open.
    for (const runner of runners) runner.close();
    log.info(statusLine(runners));
  }
}

function statusLine(runners: PatientRunner[]): string {
  const connected = runners.filter((r) => r.device.connected).length;
  const monitoring = runners.filter((r) => r.state.startsWith('monitoring')).length;
  const acked = runners.reduce(
    (n, r) => n + r.device.acknowledged + (r.devices?.acknowledged ?? 0),
    0,
  );
  const pending = runners.reduce((n, r) => n + r.device.pending, 0);
  const retries = runners.reduce((n, r) => n + r.device.retries, 0);
  return `status: ${connected}/${runners.length} connected, ${monitoring} monitoring, ${acked} submissions acknowledged, ${pending} pending, ${retries} retries`;
}
