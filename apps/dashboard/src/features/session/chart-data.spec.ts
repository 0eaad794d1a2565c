import { MAX_LINE_POINTS, thinSeries, type ChartPoint } from './chart-data';

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
