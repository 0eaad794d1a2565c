import { Logger } from '@nestjs/common';
import type { SessionEvent } from '@vigil/contracts';
import { SessionEventBus } from '../events/session-event-bus';
import type { AlertProcessor } from './alert-processor';
import { AlertEngineService, READINGS_CADENCE_MS } from './alert-engine.service';

const committed = (sessionId: string, type: string, data: object = {}) =>
  ({
    sessionId,
    seq: 1,
    type,
    at: '2026-12-02T07:00:00.000Z',
    actorId: null,
    data,
  }) as unknown as SessionEvent;

const sbp = (value: number) => ({
  readings: [{ kind: 'bp_systolic', value, measuredAt: '2026-12-02T07:00:00.000Z' }],
});

describe('AlertEngineService: when a pass starts', () => {
  let bus: SessionEventBus;
  let engine: AlertEngineService;
  let passes: string[][];

  beforeEach(() => {
    jest.useFakeTimers();
    passes = [];
    const processor = {
      processMany: (ids: string[]) => {
        passes.push(ids);
        return Promise.resolve(new Set(ids));
      },
    };
    bus = new SessionEventBus();
    engine = new AlertEngineService(bus, processor as unknown as AlertProcessor);
    engine.onModuleInit();
  });
  afterEach(() => jest.useRealTimers());

  it('gathers sessions with only readings into one pass a cadence, and starts at once for anything else', async () => {
    bus.publish([committed('a', 'vitals.recorded', sbp(120))]);
    await engine.whenIdle();
    expect(passes).toEqual([['a']]);

    // Readings right after a pass wait for the cadence, gathering.
    bus.publish([committed('b', 'vitals.recorded', sbp(120))]);
    bus.publish([committed('c', 'vitals.recorded', sbp(120))]);
    await jest.advanceTimersByTimeAsync(READINGS_CADENCE_MS / 2);
    expect(passes).toHaveLength(1);

    // A help press does not wait: its session goes first, with the readings gathered so far.
    bus.publish([committed('d', 'help.requested')]);
    await engine.whenIdle();
    expect(passes[1]).toEqual(['d', 'b', 'c']);

    bus.publish([committed('e', 'vitals.recorded', sbp(120))]);
    await jest.advanceTimersByTimeAsync(READINGS_CADENCE_MS - 1);
    expect(passes).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    await engine.whenIdle();
    expect(passes[2]).toEqual(['e']);

    // The engine's own alert events are never news to it.
    bus.publish([committed('f', 'alert.raised')]);
    await jest.advanceTimersByTimeAsync(READINGS_CADENCE_MS);
    expect(passes).toHaveLength(3);
    await engine.onModuleDestroy();
  });
  it('starts at once, first, for a reading that may alert by itself (SBP 186), not for SBP 120', async () => {
    bus.publish([committed('a', 'vitals.recorded', sbp(120))]);
    await engine.whenIdle();
    bus.publish([committed('b', 'vitals.recorded', sbp(120))]);
    bus.publish([committed('c', 'vitals.recorded', sbp(186))]);
    await engine.whenIdle();
    expect(passes).toEqual([['a'], ['c', 'b']]);
    await engine.onModuleDestroy();
  });

  it("takes a device's SpO2 at a limit on the cadence (it must hold >= 5 s to raise), one typed in by hand at once", async () => {
    const spo2 = (value: number, source?: 'device' | 'manual') => ({
      readings: [
        { kind: 'spo2', value, measuredAt: '2026-12-02T07:00:00.000Z', ...(source && { source }) },
      ],
    });
    bus.publish([committed('a', 'vitals.recorded', sbp(120))]);
    await engine.whenIdle();
    bus.publish([committed('b', 'vitals.recorded', spo2(88))]);
    bus.publish([committed('c', 'vitals.recorded', spo2(88, 'device'))]);
    await jest.advanceTimersByTimeAsync(READINGS_CADENCE_MS / 2);
    expect(passes).toHaveLength(1);
    bus.publish([committed('d', 'vitals.recorded', spo2(88, 'manual'))]);
    await engine.whenIdle();
    expect(passes[1]).toEqual(['d', 'b', 'c']);
    await engine.onModuleDestroy();
  });

  it('logs a failed pass as an error, and as a warning only once the instance is stopping', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let release: (err: Error) => void = () => undefined;
    const failing = {
      processMany: () =>
        new Promise<Set<string>>((_, reject) => {
          release = reject;
        }),
    };
    const stopping = new AlertEngineService(bus, failing as unknown as AlertProcessor);
    stopping.onModuleInit();
    try {
      bus.publish([committed('a', 'help.requested')]);
      await jest.advanceTimersByTimeAsync(0);
      release(new Error('connection terminated'));
      await stopping.whenIdle();
      expect(error).toHaveBeenCalledWith('alerts for 1 session(s) failed: connection terminated');

      // A pass in flight when the instance stops (its database closing at the same moment).
      bus.publish([committed('b', 'help.requested')]);
      await jest.advanceTimersByTimeAsync(0);
      const destroyed = stopping.onModuleDestroy();
      release(new Error('the database system is shutting down'));
      await destroyed;
      expect(warn).toHaveBeenCalledWith(
        'while shutting down: alerts for 1 session(s) failed: the database system is shutting down',
      );
      expect(error).toHaveBeenCalledTimes(1);
    } finally {
      error.mockRestore();
      warn.mockRestore();
      await engine.onModuleDestroy();
    }
  });
});
