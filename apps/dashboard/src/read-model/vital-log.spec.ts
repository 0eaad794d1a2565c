import { VitalLog, type VitalPoint } from './vital-log';

const hr = (value: number): VitalPoint => ({
  kind: 'heart_rate',
  value,
  measuredAt: new Date(value * 1000).toISOString(),
});

describe('VitalLog', () => {
  it('appends in order and leaves the log it was given as it was', () => {
    const one = VitalLog.empty().append([hr(1)]);
    const three = one.append([hr(2), hr(3)]);
    expect([...three].map((p) => p.value)).toEqual([1, 2, 3]);
    expect(three).toHaveLength(3);
    expect([...one].map((p) => p.value)).toEqual([1]);
    expect(one.toArray()).toEqual([hr(1)]);
    expect(one.find((p) => p.value === 2)).toBeUndefined();
    expect(three.find((p) => p.value === 2)).toEqual(hr(2));
  });

  it('keeps two branches from the same log apart', () => {
    const base = VitalLog.empty().append([hr(1)]);
    const a = base.append([hr(2)]);
    const b = base.append([hr(9)]);
    expect(a.toArray().map((p) => p.value)).toEqual([1, 2]);
    expect(b.toArray().map((p) => p.value)).toEqual([1, 9]);
    expect(
      a
        .append([hr(3)])
        .toArray()
        .map((p) => p.value),
    ).toEqual([1, 2, 3]);
    expect(b.toArray().map((p) => p.value)).toEqual([1, 9]);
    expect(VitalLog.empty()).toHaveLength(0);
  });

  it('gives back the same log for nothing appended', () => {
    const log = VitalLog.empty().append([hr(1)]);
    expect(log.append([])).toBe(log);
  });
});
