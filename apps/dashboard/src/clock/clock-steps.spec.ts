import { watchClockSteps } from './clock-steps';

describe('watchClockSteps', () => {
  it("tells when this device's clock is set, either way, and not when time merely passes", () => {
    let local = 1_000_000;
    let monotonic = 0;
    const onStep = jest.fn();
    const ticks: Array<() => void> = [];
    jest.spyOn(globalThis, 'setInterval').mockImplementation(((fn: () => void) => {
      ticks.push(fn);
      return 1;
    }) as unknown as typeof setInterval);
    const stop = watchClockSteps(
      onStep,
      1_000,
      () => local,
      () => monotonic,
    );
    const tick = (localMs: number, monotonicMs: number) => {
      local += localMs;
      monotonic += monotonicMs;
      ticks[0]();
    };
    tick(1_000, 1_000);
    tick(5_000, 5_000); // a tick run late by a busy page: both clocks moved alike
    tick(2_000, 1_000); // a second's correction: the next answer takes care of it
    expect(onStep).not.toHaveBeenCalled();
    tick(10 * 60_000 + 1_000, 1_000); // set forward 10 min
    tick(-10 * 60_000 + 1_000, 1_000); // and back
    expect(onStep).toHaveBeenCalledTimes(2);
    stop();
    jest.restoreAllMocks();
  });
});
