import { clockTime, clockTimeOrDay } from './clock-time';

describe('clockTimeOrDay', () => {
  const now = new Date(2026, 11, 7, 9, 30).getTime();

  it('writes a moment of today as its hour and minute only', () => {
    const earlier = new Date(2026, 11, 7, 0, 5).getTime();
    expect(clockTimeOrDay(earlier, now)).toBe(clockTime(earlier));
  });

  it("adds the weekday to a moment of another day (a refusal kept from yesterday is not today's)", () => {
    const yesterday = new Date(2026, 11, 6, 23, 55).getTime();
    const text = clockTimeOrDay(yesterday, now);
    expect(text).not.toBe(clockTime(yesterday));
    expect(text).toContain(new Date(yesterday).toLocaleDateString([], { weekday: 'short' }));
  });
});
