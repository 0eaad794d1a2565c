import {
  MAX_LINE_POINTS,
  thinSeries,
  valueDomain,
  valueTicks,
  type ChartPoint,
} from './chart-data';

describe('thinSeries', () => {
  // Two hours of 1 Hz SpO2 around 97 %, with one 20 s dip to 86 % at minute 50.
  const stream: ChartPoint[] = Array.from({ length: 7200 }, (_, i) => ({
    t: i / 60,
    spo2: i >= 3000 && i < 3020 ? 86 : 97 - (i % 3) * 0.5,
  }));

  it('draws two hours of 1 Hz samples with at most one point per pixel bucket', () => {
    const thin = thinSeries(stream, 'spo2');
    expect(thin.length).toBeLessThanOrEqual(MAX_LINE_POINTS);
    expect(thin.length).toBeGreaterThan(MAX_LINE_POINTS / 2);
    // In time order, first and last samples kept, so the line spans the whole session.
    expect(thin.map((p) => p.t)).toEqual([...thin.map((p) => p.t)].sort((a, b) => a - b));
    expect(thin[0]).toBe(stream[0]);
    expect(thin[thin.length - 1]).toBe(stream[stream.length - 1]);
  });

  it('keeps a brief desaturation visible', () => {
    expect(Math.min(...thinSeries(stream, 'spo2').map((p) => p.spo2))).toBe(86);
  });

  it('leaves a short series as it is', () => {
    const few = stream.slice(0, 40);
    expect(thinSeries(few, 'spo2')).toEqual(few);
  });
});

/**
 * Review rscreen: the charts' value axes were fixed (SpO2 80-100) with the data allowed to
 * overflow, so a desaturation to 72 % was drawn on the 80 line and vanished into it.
 */
describe('valueDomain', () => {
  const spo2 = (...values: number[]): ChartPoint[] => values.map((spo2, t) => ({ t, spo2 }));

  it('keeps the usual range while every value is within it', () => {
    expect(valueDomain(spo2(96, 88, 100), ['spo2'], [80, 100])).toEqual([80, 100]);
  });

  it('widens to a value below or above it, out to the next ten', () => {
    expect(valueDomain(spo2(96, 72, 95), ['spo2'], [80, 100])).toEqual([70, 100]);
    expect(valueDomain(spo2(55), ['spo2'], [80, 100])).toEqual([50, 100]);
    expect(
      valueDomain(
        [
          { t: 0, hr: 24 },
          { t: 1, hr: 187 },
        ],
        ['hr'],
        [30, 180],
      ),
    ).toEqual([20, 190]);
  });

  it("takes every line of the chart into account (BP's systolic and diastolic)", () => {
    const bp = [
      { t: 0, sbp: 236, dbp: 120 },
      { t: 1, sbp: 90, dbp: 35 },
    ];
    expect(valueDomain(bp, ['sbp', 'dbp'], [40, 220])).toEqual([30, 240]);
  });
});

describe('valueTicks', () => {
  it.each([
    [
      [80, 100],
      [80, 85, 90, 95, 100],
    ],
    [
      [70, 100],
      [70, 75, 80, 85, 90, 95, 100],
    ],
    [
      [50, 100],
      [50, 60, 70, 80, 90, 100],
    ],
    [
      [30, 180],
      [30, 60, 90, 120, 150, 180],
    ],
    [
      [0, 40],
      [0, 10, 20, 30, 40],
    ],
    [
      [40, 220],
      [40, 70, 100, 130, 160, 190, 220],
    ],
  ] as Array<[[number, number], number[]]>)('ticks %j at %j', (domain, ticks) => {
    expect(valueTicks(domain)).toEqual(ticks);
  });

  it('reaches the high end with a shorter last gap when the step does not divide the range', () => {
    expect(valueTicks([20, 190])).toEqual([20, 50, 80, 110, 140, 170, 190]);
    expect(valueTicks([30, 240])).toEqual([30, 70, 110, 150, 190, 240]);
  });
});
