import {
  ADVERSE_EVENT_KINDS,
  DEFAULT_ADVERSE_RATES,
  NO_ADVERSE_EVENTS,
  activeEvent,
  parseRates,
  planAdverseEvents,
  type AdverseRates,
} from './adverse-events';
import { mulberry32 } from './prng';

const plan = (rates: AdverseRates, i: number, speed = 1, fromMin = 0) =>
  planAdverseEvents(mulberry32(i), rates, { fromMin, speed });

describe('adverse event planning', () => {
  const N = 4000;

  it.each(ADVERSE_EVENT_KINDS)('injects %s at the configured rate', (kind) => {
    const rates = { ...NO_ADVERSE_EVENTS, [kind]: 0.2 };
    let hits = 0;
    for (let i = 0; i < N; i++) if (plan(rates, i).some((e) => e.kind === kind)) hits++;
    // Binomial(4000, 0.2): sd about 25, so +/- 4 sd is 0.175-0.225.
    expect(hits / N).toBeGreaterThan(0.175);
    expect(hits / N).toBeLessThan(0.225);
  });

  it('injects nothing at rate 0 and everything at rate 1', () => {
    expect(plan(NO_ADVERSE_EVENTS, 1)).toEqual([]);
    const all = Object.fromEntries(ADVERSE_EVENT_KINDS.map((k) => [k, 1])) as AdverseRates;
    expect(plan(all, 1).map((e) => e.kind)).toEqual([...ADVERSE_EVENT_KINDS]);
  });

  it("does not shift one kind's draws when another kind's rate changes", () => {
    const only = plan({ ...NO_ADVERSE_EVENTS, desaturation: 1 }, 7);
    const more = plan({ ...DEFAULT_ADVERSE_RATES, desaturation: 1, help_press: 1 }, 7);
    expect(more.find((e) => e.kind === 'desaturation')).toEqual(only[0]);
  });

  it('keeps a desaturation 88-91% and sustained > 30 s of real time even at speed 10', () => {
    for (let i = 0; i < 200; i++) {
      const [d] = plan({ ...NO_ADVERSE_EVENTS, desaturation: 1 }, i, 10);
      expect(d.level).toBeGreaterThanOrEqual(88);
      expect(d.level).toBeLessThanOrEqual(91);
      expect((d.durationMin * 60) / 10).toBeGreaterThan(30);
    }
  });

  it('keeps a silent device quiet longer than the 60 s offline limit, in real time', () => {
    for (let i = 0; i < 200; i++) {
      const [d] = plan({ ...NO_ADVERSE_EVENTS, device_silent: 1 }, i, 5);
      expect((d.durationMin * 60) / 5).toBeGreaterThan(60);
    }
  });

  it('places events after the minute a staggered session starts at', () => {
    for (let i = 0; i < 200; i++) {
      for (const e of plan({ ...NO_ADVERSE_EVENTS, help_press: 1, missed_checkin: 1 }, i, 1, 130)) {
        expect(e.startMin).toBeGreaterThan(130);
      }
    }
  });

  it('finds the event active at a minute', () => {
    const events = [{ kind: 'oversedation' as const, startMin: 40, durationMin: 20 }];
    expect(activeEvent(events, 'oversedation', 39)).toBeUndefined();
    expect(activeEvent(events, 'oversedation', 50)).toBe(events[0]);
    expect(activeEvent(events, 'oversedation', 60)).toBeUndefined();
  });

  it('parses --adverse and refuses unknown kinds or impossible rates by name', () => {
    expect(parseRates('desaturation=0.5, help_press=0', NO_ADVERSE_EVENTS)).toEqual({
      ...NO_ADVERSE_EVENTS,
      desaturation: 0.5,
    });
    expect(() => parseRates('fainting=0.1')).toThrow(/unknown event fainting/);
    expect(() => parseRates('desaturation=2')).toThrow(/desaturation must be a probability/);
  });
});
