import { accountEmail, parseCliOptions } from './cli-options';
import { nextCheckInMinute, nextCuffMinute, staggeredStartMin } from './session-plan';

describe('protocol timing of the simulated devices', () => {
  it('takes BP every 15 min for 2 h (45 min, the oral peak check, included), then every 30', () => {
    const times: number[] = [];
    const base = { sbp: 120, dbp: 80 };
    for (let m = 0; m < 240; m = nextCuffMinute(m, { sbp: 125, dbp: 82 }, base)) times.push(m);
    expect(times).toEqual([0, 15, 30, 45, 60, 75, 90, 105, 120, 150, 180, 210]);
  });

  it('takes BP every 5 min while systolic or diastolic is high or well above baseline', () => {
    const base = { sbp: 120, dbp: 80 };
    expect(nextCuffMinute(50, { sbp: 182 }, base)).toBe(55);
    expect(nextCuffMinute(50, { sbp: 152 }, base)).toBe(55);
    expect(nextCuffMinute(57, { sbp: 130 }, base)).toBe(60);
    expect(nextCuffMinute(50, { sbp: 130, dbp: 110 }, { sbp: 120 })).toBe(55);
    expect(nextCuffMinute(50, { sbp: 130, dbp: 109 }, { sbp: 120 })).toBe(60);
    expect(nextCuffMinute(50, { sbp: 130, dbp: 105 }, base)).toBe(55);
    expect(nextCuffMinute(50, { sbp: 130, dbp: 104 }, base)).toBe(60);
  });

  it('still takes the systolic value alone', () => {
    expect(nextCuffMinute(50, 182, 120)).toBe(55);
    expect(nextCuffMinute(57, 130, 120)).toBe(60);
  });

  it('never skips the 45-minute peak check after a high spell', () => {
    expect(nextCuffMinute(37, { sbp: 130 }, { sbp: 120 })).toBe(45);
  });

  it('checks in every 15 minutes from the dose', () => {
    expect(nextCheckInMinute(0)).toBe(15);
    expect(nextCheckInMinute(15.2)).toBe(30);
    expect(nextCheckInMinute(44.9)).toBe(45);
  });

  it('staggers a dozen demo sessions from screening to 2.5 h after the dose', () => {
    const starts = Array.from({ length: 12 }, (_, i) => staggeredStartMin(i, 12, true));
    expect(starts[0]).toBeLessThan(0);
    expect(starts[11]).toBe(150);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(staggeredStartMin(5, 12, false)).toBe(0);
  });
});

describe('simulator command line', () => {
  it('defaults to the demo: 12 sessions on localhost:3000 at real speed', () => {
    const o = parseCliOptions([]);
    expect(o).toMatchObject({ url: 'http://localhost:3000', sessions: 12, speed: 1, seed: 1 });
    if (o === 'help') throw new Error('unexpected');
    expect(accountEmail(o, 0)).toBe('sim01@vigil.demo');
    expect(accountEmail(o, 11)).toBe('sim12@vigil.demo');
  });

  it('reads a load run: --sessions 2000 --rate 1 --speed 10 --seed 7 --no-adverse', () => {
    const o = parseCliOptions([
      '--sessions',
      '2000',
      '--rate',
      '1',
      '--speed',
      '10',
      '--seed',
      '7',
      '--no-adverse',
    ]);
    expect(o).toMatchObject({ sessions: 2000, rate: 1, speed: 10, seed: 7 });
    if (o === 'help') throw new Error('unexpected');
    expect(Object.values(o.adverse).every((r) => r === 0)).toBe(true);
  });

  it('refuses a bad number and an unknown option by name', () => {
    expect(() => parseCliOptions(['--speed', 'fast'])).toThrow(/--speed/);
    expect(() => parseCliOptions(['--sesions', '3'])).toThrow(/sesions/);
    // Taken as given, each failed every request with "fetch failed", retried forever.
    for (const url of ['localhost:3000', 'not a url', 'ftp://host'])
      expect(() => parseCliOptions(['--url', url])).toThrow(/^--url: must be an http\(s\) URL/);
    expect(parseCliOptions(['--url', 'https://vigil.example.org/'])).toMatchObject({
      url: 'https://vigil.example.org',
    });
    // The oximeter samples at 1 Hz: more was quietly run at 1.
    expect(() => parseCliOptions(['--rate', '5'])).toThrow(
      /^--rate: must be a number from 0.01 to 1/,
    );
  });
});
