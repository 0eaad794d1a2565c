import { scoreNews2, type News2Input, type News2Parameter } from './news2';

/** Every band edge from the CLINICAL.md NEWS2 table (RCP 2017 chart 1), both sides. */
const EDGES: Array<[News2Parameter, keyof News2Input, number | boolean | string, number]> = [
  ['resp_rate', 'respRate', 8, 3],
  ['resp_rate', 'respRate', 9, 1],
  ['resp_rate', 'respRate', 11, 1],
  ['resp_rate', 'respRate', 12, 0],
  ['resp_rate', 'respRate', 20, 0],
  ['resp_rate', 'respRate', 21, 2],
  ['resp_rate', 'respRate', 24, 2],
  ['resp_rate', 'respRate', 25, 3],
  ['spo2', 'spo2', 91, 3],
  ['spo2', 'spo2', 92, 2],
  ['spo2', 'spo2', 93, 2],
  ['spo2', 'spo2', 94, 1],
  ['spo2', 'spo2', 95, 1],
  ['spo2', 'spo2', 96, 0],
  ['supplemental_oxygen', 'supplementalOxygen', true, 2],
  ['supplemental_oxygen', 'supplementalOxygen', false, 0],
  ['systolic_bp', 'systolic', 90, 3],
  ['systolic_bp', 'systolic', 91, 2],
  ['systolic_bp', 'systolic', 100, 2],
  ['systolic_bp', 'systolic', 101, 1],
  ['systolic_bp', 'systolic', 110, 1],
  ['systolic_bp', 'systolic', 111, 0],
  ['systolic_bp', 'systolic', 219, 0],
  ['systolic_bp', 'systolic', 220, 3],
  ['pulse', 'pulse', 40, 3],
  ['pulse', 'pulse', 41, 1],
  ['pulse', 'pulse', 50, 1],
  ['pulse', 'pulse', 51, 0],
  ['pulse', 'pulse', 90, 0],
  ['pulse', 'pulse', 91, 1],
  ['pulse', 'pulse', 110, 1],
  ['pulse', 'pulse', 111, 2],
  ['pulse', 'pulse', 130, 2],
  ['pulse', 'pulse', 131, 3],
  ['temperature', 'temperature', 35.0, 3],
  ['temperature', 'temperature', 35.1, 1],
  ['temperature', 'temperature', 36.0, 1],
  ['temperature', 'temperature', 36.1, 0],
  ['temperature', 'temperature', 38.0, 0],
  ['temperature', 'temperature', 38.1, 1],
  ['temperature', 'temperature', 39.0, 1],
  ['temperature', 'temperature', 39.1, 2],
  // v2: MOAA/S 5 and 4 are "alert" (0); MOAA/S <= 3 is CVPU (3).
  ['consciousness', 'moaas', 5, 0],
  ['consciousness', 'moaas', 4, 0],
  ['consciousness', 'moaas', 3, 3],
  ['consciousness', 'moaas', 2, 3],
  ['consciousness', 'moaas', 0, 3],
  ['consciousness', 'consciousness', 'alert', 0],
  ['consciousness', 'consciousness', 'cvpu', 3],
];

const NORMAL: Required<Omit<News2Input, 'consciousness'>> = {
  respRate: 16,
  spo2: 98,
  supplementalOxygen: false,
  systolic: 120,
  pulse: 70,
  moaas: 5,
  temperature: 37,
};

describe('scoreNews2', () => {
  it.each(EDGES)('scores %s %s = %p as %i', (parameter, field, value, expected) => {
    const result = scoreNews2({ [field]: value });
    expect(result.scores[parameter]).toBe(expected);
    expect(result.total).toBe(expected);
  });

  it('scores a full normal set as 0, complete, low', () => {
    const result = scoreNews2(NORMAL);
    expect(result).toMatchObject({ total: 0, complete: true, band: 'low', missing: [] });
  });

  it.each([
    // [changes from normal, total, band] per RCP chart 4 as quoted in CLINICAL.md
    [{ respRate: 21, pulse: 111 }, 4, 'low'],
    [{ pulse: 131 }, 3, 'low_medium'],
    [{ respRate: 21, pulse: 111, spo2: 94 }, 5, 'medium'],
    [{ respRate: 21, pulse: 111, spo2: 94, temperature: 38.1 }, 6, 'medium'],
    [{ respRate: 21, pulse: 111, spo2: 94, temperature: 38.1, systolic: 101 }, 7, 'high'],
    [{ respRate: 25, spo2: 91, systolic: 90, pulse: 131, moaas: 2, temperature: 35 }, 18, 'high'],
    [{ supplementalOxygen: true, spo2: 94 }, 3, 'low'],
  ] as const)('totals %j as %i (%s)', (changes, total, band) => {
    const result = scoreNews2({ ...NORMAL, ...changes });
    expect(result.total).toBe(total);
    expect(result.band).toBe(band);
  });

  it('flags a single parameter scoring 3 even inside a medium total', () => {
    const result = scoreNews2({ ...NORMAL, pulse: 131, respRate: 21 });
    expect(result).toMatchObject({ total: 5, anySingleThree: true, band: 'medium' });
  });

  it('lists missing parameters rather than scoring them as 0', () => {
    const result = scoreNews2({ spo2: 97, pulse: 80 });
    expect(result.missing).toEqual([
      'resp_rate',
      'supplemental_oxygen',
      'systolic_bp',
      'consciousness',
      'temperature',
    ]);
    expect(result.complete).toBe(false);
    expect(result.scores).toEqual({ spo2: 0, pulse: 0 });
  });

  it('scores the expected mild ketamine sedation (MOAA/S 4) as alert, not as a 3', () => {
    expect(scoreNews2({ ...NORMAL, moaas: 4 })).toMatchObject({
      total: 0,
      anySingleThree: false,
      band: 'low',
    });
    expect(scoreNews2({ ...NORMAL, moaas: 3 })).toMatchObject({
      total: 3,
      anySingleThree: true,
      band: 'low_medium',
    });
  });

  it.each(['respRate', 'spo2', 'supplementalOxygen', 'systolic', 'pulse', 'moaas', 'temperature'])(
    'has no band of its own when %s is missing, so a partial score never reads as low',
    (field) => {
      const result = scoreNews2({ ...NORMAL, [field]: undefined });
      expect(result).toMatchObject({ band: null, complete: false, total: 0 });
      expect(result.missing).toHaveLength(1);
    },
  );

  it('keeps the partial total and its missing list even when it already reaches 7', () => {
    const result = scoreNews2({ respRate: 25, spo2: 91, pulse: 131 });
    expect(result).toMatchObject({ total: 9, band: null, complete: false });
  });

  it('treats null and non-finite values as missing', () => {
    const result = scoreNews2({ respRate: Number.NaN, spo2: null, moaas: undefined });
    expect(result.missing).toContain('resp_rate');
    expect(result.missing).toContain('spo2');
    expect(result.missing).toContain('consciousness');
    expect(result.total).toBe(0);
  });
});
