import { backgroundInterval } from './background-interval';
import { ShutdownState } from './shutdown-state';

describe('backgroundInterval', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function failingFirst(): { task: () => Promise<void>; runs: () => number } {
    let runs = 0;
    return {
      task: () => {
        runs += 1;
        return runs === 1 ? Promise.reject(new Error('database gone')) : Promise.resolve();
      },
      runs: () => runs,
    };
  }

  it('logs a failed run and runs again at the next interval', async () => {
    const logged: string[] = [];
    const { task, runs } = failingFirst();
    const logger = { error: (m: string) => logged.push(`error ${m}`), warn: () => 0 };
    const timer = backgroundInterval(1000, task, logger, new ShutdownState(), 'sweep');
    await jest.advanceTimersByTimeAsync(2000);
    clearInterval(timer);
    expect(runs()).toBe(2);
    expect(logged).toEqual(['error sweep failed: database gone']);
  });

  it('logs a failure while the process shuts down as a warning, not an error', async () => {
    const logged: string[] = [];
    const { task } = failingFirst();
    const logger = {
      error: (m: string) => logged.push(`error ${m}`),
      warn: (m: string) => logged.push(`warn ${m}`),
    };
    const shutdown = new ShutdownState();
    shutdown.begin();
    const timer = backgroundInterval(1000, task, logger, shutdown, 'sweep');
    await jest.advanceTimersByTimeAsync(1000);
    clearInterval(timer);
    expect(logged).toEqual(['warn while shutting down: sweep failed: database gone']);
  });

  it('does not hold the process open by itself', () => {
    const logger = { error: () => 0, warn: () => 0 };
    const timer = backgroundInterval(
      1000,
      () => Promise.resolve(),
      logger,
      new ShutdownState(),
      'flush',
    );
    expect(timer.hasRef()).toBe(false);
    clearInterval(timer);
  });
});
