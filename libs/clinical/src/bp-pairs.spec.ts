import { readingMadeAt } from '@vigil/contracts';
import { latestBpPairs, type BpReading } from './bp-pairs';
import { evaluateEndChecklist } from './end-checklist';
import { DEFAULT_ORAL_PROTOCOL as P } from './protocol';
import { iso, makeSnapshot, min } from './testing/factories';

/** A BP sent by a phone whose clock is `skew` off, `waited` after it was measured, at `commit`. */
function phoneBp(sbp: number, dbp: number, commit: number, skew = 0, waited = 0): BpReading[] {
  const measuredAt = iso(commit - waited + skew);
  return (
    [
      ['bp_systolic', sbp],
      ['bp_diastolic', dbp],
    ] as const
  ).map(([kind, value]) => {
    const reading = { kind, value, measuredAt, waitedMs: waited };
    return { ...reading, madeAt: readingMadeAt(reading, iso(commit)) };
  });
}

describe('latestBpPairs', () => {
  it('pairs a systolic with the diastolic measured at the same instant, newest first by the server clock', () => {
    // The second phone's clock runs 10 min slow: its BP, sent later, is the newer one.
    const readings = [...phoneBp(130, 85, min(100)), ...phoneBp(120, 80, min(105), -10 * 60_000)];
    expect(latestBpPairs(readings)).toEqual([
      { sbp: 120, dbp: 80, at: min(105) },
      { sbp: 130, dbp: 85, at: min(100) },
    ]);
  });

  it('leaves out a lone systolic and dates a BP by the older of its two readings', () => {
    const measuredAt = iso(min(100));
    expect(
      latestBpPairs([
        { kind: 'bp_systolic', value: 150, measuredAt: iso(min(110)), madeAt: min(110) },
        { kind: 'bp_systolic', value: 130, measuredAt, madeAt: min(101) },
        { kind: 'bp_diastolic', value: 85, measuredAt, madeAt: min(100) },
      ]),
    ).toEqual([{ sbp: 130, dbp: 85, at: min(100) }]);
  });
});

/**
 * CLINICAL.md "Recovery and end": BP acceptable "from a reading under 15 min old", by the
 * server's clock (the sign-off's now), whatever the phone's clock says: the BP is dated by its
 * commit less its wait on the phone (v1.14), else by its measuredAt capped at its commit.
 */
describe('the end checklist ages the BP by the server clock, whatever the phone clock', () => {
  const MIN = 60_000;
  const bpItem = (readings: BpReading[], now: number) => {
    const [latestBp, previousBp] = latestBpPairs(readings);
    return evaluateEndChecklist(
      makeSnapshot({ latestBp: latestBp ?? null, previousBp: previousBp ?? null }),
      iso(now),
      P,
    ).items.find((i) => i.code === 'bp_acceptable')?.ok;
  };

  it.each([
    [
      'taken 20 min before, phone 10 min fast: stale',
      phoneBp(120, 80, min(100), 10 * MIN),
      min(120),
      false,
    ],
    [
      'taken 14 min before, phone 10 min fast: fresh',
      phoneBp(120, 80, min(106), 10 * MIN),
      min(120),
      true,
    ],
    [
      'taken 6 min before, phone 10 min slow: fresh',
      phoneBp(120, 80, min(116), -10 * MIN),
      min(122),
      true,
    ],
    [
      'taken 16 min before, phone 10 min slow: stale',
      phoneBp(120, 80, min(106), -10 * MIN),
      min(122),
      false,
    ],
    [
      'taken 20 min before, held 12 min in the outbox: stale',
      phoneBp(120, 80, min(112), 0, 12 * MIN),
      min(120),
      false,
    ],
  ])('%s', (_name, readings, now, fresh) => {
    expect(bpItem(readings, now)).toBe(fresh);
  });

  it('a BP sent without sentAt from a clock 10 min ahead is dated at its arrival, not ahead', () => {
    const measuredAt = iso(min(110));
    const readings = (['bp_systolic', 'bp_diastolic'] as const).map((kind, i) => ({
      kind,
      value: [120, 80][i],
      measuredAt,
      madeAt: readingMadeAt({ measuredAt }, iso(min(100))),
    }));
    expect(bpItem(readings, min(120))).toBe(false);
  });
});
