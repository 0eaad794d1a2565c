/**
 * A failed run leaves the phone (socket, outbox) open for the next run (d10d56b), and only a
 * stop closes it: a stop that came while the simulator waited its 15 s to start a failed patient
 * over ended runSimulator without another run(), and that phone was never closed.
 */
import { parseCliOptions, type SimulatorOptions } from './cli-options';
import { PatientDevice } from './patient-device';
import type { Logger } from './sim-log';
import { listOwnSessions } from './session-steps';
import { runSimulator } from './simulator';

jest.mock('./api-client', () => ({
  ...jest.requireActual<typeof import('./api-client')>('./api-client'),
  ApiClient: jest.fn().mockImplementation(() => ({
    login: () => Promise.resolve(),
    token: () => Promise.resolve('token'),
    invalidate: () => undefined,
    request: () => new Promise(() => undefined),
  })),
}));
jest.mock('./session-steps', () => ({
  ...jest.requireActual<typeof import('./session-steps')>('./session-steps'),
  listOwnSessions: jest.fn(),
}));

describe('runSimulator stopped while a failed patient waits to start over', () => {
  const log: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const opened: PatientDevice[] = [];
  const connect = PatientDevice.prototype.connect;
  const close = jest.spyOn(PatientDevice.prototype, 'close');
  beforeAll(() => {
    jest.spyOn(PatientDevice.prototype, 'connect').mockImplementation(function (
      this: PatientDevice,
      url: string,
    ) {
      opened.push(this);
      connect.call(this, url);
    });
  });
  afterAll(() => {
    jest.restoreAllMocks();
    for (const d of opened) d.close();
  });

  it("closes the failed patient's phone (socket, outbox) when the simulator stops", async () => {
    const options = parseCliOptions([
      '--url',
      'http://127.0.0.1:1',
      '--no-devices',
      '--sessions',
      '1',
    ]) as SimulatorOptions;
    (listOwnSessions as jest.Mock).mockRejectedValue(new Error('fetch failed')); // API restarting
    const stop = new AbortController();
    const done = runSimulator(options, log, stop.signal);
    await new Promise((r) => setTimeout(r, 300)); // the run has failed; the 15 s wait began
    expect(opened).toHaveLength(1);
    expect(close).not.toHaveBeenCalled();
    stop.abort(); // SIGINT, or --duration elapsed
    await done;
    expect(close).toHaveBeenCalledTimes(1);
  });
});
