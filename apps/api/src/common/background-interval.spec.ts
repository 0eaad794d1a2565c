import { backgroundInterval } from './background-interval';

describe('backgroundInterval', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('logs a failed run and runs again at the next interval', async () => {
    const errors: string[] = [];
    let runs = 0;
    const timer = backgroundInterval(
      1000,
      () => {
        runs += 1;
        return runs === 1 ? Promise.reject(new Error('database gone')) : Promise.resolve();
      },
      { error: (message: string) => errors.push(message) },
      'sweep',
    );
    await jest.advanceTimersByTimeAsync(2000);
    clearInterval(timer);
    expect(runs).toBe(2);
    expect(errors).toEqual(['sweep failed: database gone']);
  });

  it('does not hold the process open by itself', () => {
    const timer = backgroundInterval(1000, () => Promise.resolve(), { error: () => 0 }, 'flush');
    expect(timer.hasRef()).toBe(false);
    clearInterval(timer);
  });
});
