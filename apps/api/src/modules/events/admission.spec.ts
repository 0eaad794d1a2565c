import type { AppConfig } from '../../config/app-config';
import type { VigilMetrics } from '../metrics/vigil-metrics';
import {
  Admission,
  admission,
  RateWindow,
  type AdmissionLimits,
  type PipelineLoad,
} from './admission';

const limits: AdmissionLimits = {
  ackBudgetMs: 1000,
  minOutstanding: 100,
  maxLoopLagMs: 300,
  priorityFactor: 4,
};
const load = (over: Partial<PipelineLoad>): PipelineLoad => ({
  outstanding: 0,
  answeredPerSecond: 0,
  loopLagMs: 0,
  ...over,
});

describe('admission', () => {
  it('admits a burst up to the minimum backlog on an idle, responsive server', () => {
    expect(admission('routine', load({ outstanding: 99 }), limits)).toBe('admit');
    expect(admission('routine', load({ outstanding: 100 }), limits)).toBe('backlog');
  });

  it('sizes the backlog by the measured rate times the ack budget (Little)', () => {
    const busy = { answeredPerSecond: 2000 };
    expect(admission('routine', load({ ...busy, outstanding: 1999 }), limits)).toBe('admit');
    expect(admission('routine', load({ ...busy, outstanding: 2000 }), limits)).toBe('backlog');
  });

  it('drops the minimum while the event loop lags: the measured rate alone decides', () => {
    const lagging = { loopLagMs: 300, answeredPerSecond: 40 };
    expect(admission('routine', load({ ...lagging, outstanding: 39 }), limits)).toBe('admit');
    expect(admission('routine', load({ ...lagging, outstanding: 40 }), limits)).toBe('event_loop');
    expect(
      admission('routine', load({ ...lagging, loopLagMs: 299, outstanding: 40 }), limits),
    ).toBe('admit');
  });

  it('keeps one submission in progress however far behind, so the rate can recover', () => {
    const stalled = { loopLagMs: 5000, answeredPerSecond: 0 };
    expect(admission('routine', load({ ...stalled, outstanding: 0 }), limits)).toBe('admit');
    expect(admission('routine', load({ ...stalled, outstanding: 1 }), limits)).toBe('event_loop');
  });

  it('gives check-ins and messages precedence: four times the backlog and the lag', () => {
    const over = { outstanding: 2500, answeredPerSecond: 1000, loopLagMs: 900 };
    expect(admission('routine', load(over), limits)).toBe('event_loop');
    expect(admission('priority', load(over), limits)).toBe('admit');
    expect(admission('priority', load({ ...over, outstanding: 4000 }), limits)).toBe('backlog');
    const lagging = { ...over, loopLagMs: 1200 };
    expect(admission('priority', load({ ...lagging, outstanding: 3999 }), limits)).toBe('admit');
    expect(admission('priority', load({ ...lagging, outstanding: 4000 }), limits)).toBe(
      'event_loop',
    );
  });

  it('never refuses a help press, nor a reading that may alert', () => {
    const worst = { outstanding: 1e6, answeredPerSecond: 0, loopLagMs: 1e6 };
    expect(admission('help', load(worst), limits)).toBe('admit');
    expect(admission('urgent', load(worst), limits)).toBe('admit');
  });
});

describe('Admission', () => {
  it('admits urgent submissions past capacity, counts them outstanding, and refuses routine ones', () => {
    const refusals: string[] = [];
    const metrics = {
      refused: (reason: string, kind: string) => refusals.push(`${reason}:${kind}`),
    };
    const gate = new Admission(
      { ADMISSION_MIN_OUTSTANDING: 2 } as AppConfig,
      metrics as unknown as VigilMetrics,
    );
    // Starts the loop-lag probe: a loop that keeps up admits up to the minimum backlog.
    gate.onModuleInit();
    const held = [gate.admit('routine'), gate.admit('routine')];
    expect(held.every((r) => r !== null)).toBe(true);
    expect(gate.admit('routine')).toBeNull();
    const urgent = gate.admit('urgent');
    expect(urgent).not.toBeNull();
    // The urgent one holds a ticket too: its answer is part of the backlog the rule sizes.
    held[0]!();
    expect(gate.admit('routine')).toBeNull();
    urgent!();
    urgent!();
    expect(gate.admit('routine')).not.toBeNull();
    expect(refusals).toEqual(['backlog:routine', 'backlog:routine']);
    gate.onModuleDestroy();
  });
});

describe('RateWindow', () => {
  it('reports the busiest of the last three complete seconds', () => {
    const w = new RateWindow();
    w.add(500, 10_000);
    w.add(300, 11_200);
    w.add(900, 12_999);
    w.add(50, 13_100); // the current second does not count yet
    expect(w.perSecond(13_500)).toBe(900);
    expect(w.perSecond(15_000)).toBe(900);
    expect(w.perSecond(16_000)).toBe(50);
    expect(w.perSecond(17_000)).toBe(0);
  });
});
