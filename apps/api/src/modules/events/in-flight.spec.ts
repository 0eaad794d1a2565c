import { InFlight } from './in-flight';

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('InFlight', () => {
  it('waits for the work in progress when asked, not for work started later', async () => {
    const inFlight = new InFlight();
    const first = deferred();
    const second = deferred();
    void inFlight.track(first.promise);
    let settled = false;
    void inFlight.settled().then(() => (settled = true));
    void inFlight.track(second.promise); // started after the barrier: not waited for

    await flush();
    expect(settled).toBe(false);
    first.resolve();
    await flush();
    expect(settled).toBe(true);
    expect(inFlight.size).toBe(1);
    second.resolve();
    await flush();
    expect(inFlight.size).toBe(0);
  });

  it('counts failed work as settled and leaves its rejection to the caller', async () => {
    const inFlight = new InFlight();
    const work = deferred();
    const tracked = inFlight.track(work.promise);
    const barrier = inFlight.settled();
    work.reject(new Error('rolled back'));

    await expect(tracked).rejects.toThrow('rolled back');
    await expect(barrier).resolves.toBeUndefined();
    expect(inFlight.size).toBe(0);
  });

  it('resolves at once with nothing in progress', async () => {
    await expect(new InFlight().settled()).resolves.toBeUndefined();
  });

  it('says how long the oldest work in progress has been at it', async () => {
    let now = 1000;
    const inFlight = new InFlight(() => now);
    expect(inFlight.oldestForMs()).toBe(0);
    const first = deferred();
    const second = deferred();
    void inFlight.track(first.promise);
    now = 4000;
    void inFlight.track(second.promise);
    now = 12_000;
    expect(inFlight.oldestForMs()).toBe(11_000);
    // Work that starts and settles meanwhile does not hide the stuck one.
    const quick = deferred();
    void inFlight.track(quick.promise);
    quick.resolve();
    await flush();
    expect(inFlight.oldestForMs()).toBe(11_000);
    first.resolve();
    await flush();
    expect(inFlight.oldestForMs()).toBe(8000);
    second.reject(new Error('failed')); // a failure settles too
    await flush();
    expect(inFlight.oldestForMs()).toBe(0);
  });
});
