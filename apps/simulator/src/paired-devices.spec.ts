import type { Reading } from '@vigil/contracts';
import { PairedDevices } from './paired-devices';
import type { Logger } from './sim-log';
import type { StaffAccess } from './staff-access';

/**
 * A pairing that fails (the server busy or slow, as at the start of 200 sessions) is tried again:
 * before, the patient's readings went through the phone for the rest of the session, and the
 * board never showed its devices.
 */
describe('PairedDevices: pairing again after a failure', () => {
  const reading: Reading[] = [{ kind: 'spo2', value: 97, measuredAt: '2026-12-04T01:00:00Z' }];
  let now = 1_000_000;
  let devices: PairedDevices;
  const fallback = jest.fn<undefined, [string, Reading[]]>();
  const warnings: string[] = [];
  const log: Logger = {
    info: () => undefined,
    warn: (m) => warnings.push(m),
    error: () => undefined,
  };
  let answers: Array<'fail' | 'ok'>;
  const deviceCredential = jest.fn(() =>
    answers.shift() === 'ok'
      ? Promise.resolve('credential')
      : Promise.reject(new Error('503 unavailable')),
  );
  const settle = () => new Promise((r) => setImmediate(r));

  beforeEach(() => {
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    devices = new PairedDevices(
      { deviceCredential } as unknown as StaffAccess,
      log,
      'patient9',
      fallback,
    );
  });
  afterEach(() => {
    devices.close();
    jest.restoreAllMocks();
    deviceCredential.mockClear();
    fallback.mockClear();
    warnings.length = 0;
  });

  it('sends through the phone while unpaired, pairs again 10 s later, then sends through the device', async () => {
    answers = ['fail', 'fail']; // the first attempt: oximeter and cuff both refused
    // Port 1: nothing answers there; the device socket only has to exist, not connect.
    devices.connect('http://127.0.0.1:1', 'patient-id');
    await settle();
    expect(deviceCredential).toHaveBeenCalledTimes(2);
    expect(warnings[0]).toMatch(/could not pair the pulse_oximeter .*pairing again in 10 s/);

    expect(devices.submit('pulse_oximeter', 'session', reading)).toBe(false); // the phone sends
    now += 9_999;
    expect(devices.submit('pulse_oximeter', 'session', reading)).toBe(false);
    expect(deviceCredential).toHaveBeenCalledTimes(2);

    answers = ['ok', 'fail'];
    now += 1;
    // Held while pairing, then sent by the device once paired.
    expect(devices.submit('pulse_oximeter', 'session', reading)).toBe(true);
    await settle();
    expect(deviceCredential).toHaveBeenCalledTimes(4);
    expect(fallback).not.toHaveBeenCalled();
    expect(devices.submit('pulse_oximeter', 'session', reading)).toBe(true);
    // The cuff failed again: its next attempt waits twice as long.
    expect(warnings[warnings.length - 1]).toMatch(/bp_cuff .*pairing again in 20 s/);
    now += 10_000;
    expect(devices.submit('bp_cuff', 'session', reading)).toBe(false);
    expect(deviceCredential).toHaveBeenCalledTimes(4);
  });
});
