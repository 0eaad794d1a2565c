import { slotOf, TickingClock } from './tile-clock';

describe('TickingClock', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  const ids = Array.from(
    { length: 200 },
    (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
  );

  it('spreads sessions evenly over the slots, the same slot for the same session', () => {
    const counts = [0, 0, 0, 0];
    for (const id of ids) counts[slotOf(id, 4)] += 1;
    expect(counts).toEqual([50, 50, 50, 50]);
    expect(slotOf(ids[7], 4)).toBe(slotOf(ids[7], 4));
    expect(slotOf('not-a-uuid', 4)).toBeGreaterThanOrEqual(0);
    expect(slotOf(ids[7], 1)).toBe(0);
  });

  it("tells a session's listener once a second, in its slot, and the others on every slot", () => {
    const clock = new TickingClock(1000, 4);
    const every = jest.fn();
    const told = new Map<string, number[]>();
    clock.subscribe(every);
    for (const id of ids.slice(0, 8))
      clock.subscribe(() => told.set(id, [...(told.get(id) ?? []), Date.now()]), id);

    jest.advanceTimersByTime(3000);
    expect(every).toHaveBeenCalledTimes(12);
    for (const id of ids.slice(0, 8)) {
      const times = told.get(id)!;
      expect(times).toHaveLength(3);
      // A second apart, in the slot that is this session's.
      expect(times[1] - times[0]).toBe(1000);
      expect(((times[0] / 250) % 4) - ((slotOf(id, 4) + 4) % 4)).toBe(0);
    }
    expect(clock.now()).toBe(3000);
  });

  it('says whose slot was just ticked, and stops its timer when nobody listens', () => {
    const clock = new TickingClock(1000, 4);
    const due: string[][] = [];
    const off = clock.subscribe(() => due.push(ids.slice(0, 4).filter((id) => clock.isDue(id))));
    jest.advanceTimersByTime(1000);
    expect(due.flat().sort()).toEqual(ids.slice(0, 4).sort());
    expect(due.every((slot) => slot.every((id) => slotOf(id, 4) === slotOf(slot[0], 4)))).toBe(
      true,
    );
    off();
    expect(jest.getTimerCount()).toBe(0);
  });
});
