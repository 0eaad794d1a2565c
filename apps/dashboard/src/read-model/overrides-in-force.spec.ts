import { overridesAsOf } from './overrides-in-force';
import type { ProtocolChangeRecord } from './session-model';

const change = (
  seq: number,
  setting: string,
  value: number | null,
  previous: number | null,
): ProtocolChangeRecord => ({ seq, at: '', setting, value, previous, reason: 'r', by: 'c1' });

describe('overridesAsOf (a replay cursor)', () => {
  // spo2Low: none, then 93 at seq 5, then 92 at seq 9; sbpHigh cleared at seq 7 (was 170).
  const changes = [
    change(5, 'spo2Low', 93, null),
    change(7, 'sbpHigh', null, 170),
    change(9, 'spo2Low', 92, 93),
  ];
  // Now: spo2Low 88 (changed after the session, in no log of it), hrHigh 110 (never changed in it).
  const now = [
    { setting: 'spo2Low', value: 88 },
    { setting: 'hrHigh', value: 110 },
  ];

  it.each([
    [
      4,
      [
        ['spo2Low', null],
        ['sbpHigh', 170],
        ['hrHigh', 110],
      ],
    ],
    [
      5,
      [
        ['spo2Low', 93],
        ['sbpHigh', 170],
        ['hrHigh', 110],
      ],
    ],
    [
      7,
      [
        ['spo2Low', 93],
        ['sbpHigh', null],
        ['hrHigh', 110],
      ],
    ],
    [
      20,
      [
        ['spo2Low', 92],
        ['sbpHigh', null],
        ['hrHigh', 110],
      ],
    ],
  ])('after event %i: the log for what it changed, the summary for the rest', (seq, expected) => {
    const values = new Map(overridesAsOf(now, changes, seq).map((o) => [o.setting, o.value]));
    for (const [setting, value] of expected as [string, number | null][])
      expect([setting, values.get(setting) ?? null]).toEqual([setting, value]);
  });
});
