import { parseCliOptions, type SimulatorOptions } from './cli-options';
import { PatientRunner } from './patient-runner';
import type { Logger } from './sim-log';
import { listOwnSessions } from './session-steps';
import type { StaffAccess } from './staff-access';

jest.mock('./api-client', () => ({
  ...jest.requireActual<typeof import('./api-client')>('./api-client'),
  ApiClient: jest.fn().mockImplementation(() => ({
    login: () => Promise.resolve(),
    token: () => Promise.resolve('token'),
    invalidate: () => undefined,
    request: () => new Promise(() => undefined), // nothing answers: items stay pending
  })),
}));
jest.mock('./session-steps', () => ({
  ...jest.requireActual<typeof import('./session-steps')>('./session-steps'),
  listOwnSessions: jest.fn(),
}));

/**
 * The simulator starts a failed run over "so it rides out an API restart". The run closed the
 * phone (and its outbox) on the way out, for good: every submission of every later run was
 * dropped without a word while heartbeats kept the patient looking online on the board.
 */
describe('PatientRunner: a run started over after a failure', () => {
  const log: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const options = {
    // Port 1: nothing answers, so what is queued stays pending.
    ...(parseCliOptions(['--url', 'http://127.0.0.1:1', '--no-devices']) as SimulatorOptions),
  };
  const reading = { kind: 'spo2' as const, value: 97, measuredAt: '2026-12-07T04:00:00Z' };
  const list = listOwnSessions as jest.MockedFunction<typeof listOwnSessions>;

  it('keeps the phone and its outbox open for the next run', async () => {
    const stop = new AbortController();
    const runner = new PatientRunner(0, options, {} as StaffAccess, log, stop.signal);
    list.mockRejectedValueOnce(new Error('fetch failed')); // the API restarting
    await expect(runner.run()).rejects.toThrow('fetch failed');
    runner.device.submit({ kind: 'vitals', sessionId: 's1', readings: [reading] });
    await new Promise((r) => setImmediate(r));
    expect(runner.device.pending).toBe(1);
    stop.abort();
    list.mockResolvedValueOnce([]);
    await runner.run().catch(() => undefined);
  });

  it('closes them when the simulator stops', async () => {
    const stop = new AbortController();
    const runner = new PatientRunner(1, options, {} as StaffAccess, log, stop.signal);
    stop.abort();
    await runner.run().catch(() => undefined);
    runner.device.submit({ kind: 'vitals', sessionId: 's1', readings: [reading] });
    await new Promise((r) => setImmediate(r));
    expect(runner.device.pending).toBe(0);
  });
});
