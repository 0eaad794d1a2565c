import { renderHook } from '@testing-library/react';
import { eventLog, summary, T0 } from '../../read-model/testing';
import type { SessionModel } from '../../read-model/session-model';
import { useTileViews } from './useTileViews';

describe('useTileViews', () => {
  const sessions = [summary('a', 'Ann Ash'), summary('b', 'Bob Birch')];
  const a = eventLog('a').vitals(60_000, { heart_rate: 70 }).model();
  const b = eventLog('b').vitals(60_000, { heart_rate: 80 }).model();
  const now = T0 + 120_000;

  it('keeps the views of sessions whose model did not change, and works out the changed one', () => {
    const { result, rerender } = renderHook(
      ({ models, at }: { models: ReadonlyMap<string, SessionModel>; at: number }) =>
        useTileViews(sessions, models, at),
      {
        initialProps: {
          models: new Map([
            ['a', a],
            ['b', b],
          ]),
          at: now,
        },
      },
    );
    const [first, second] = result.current;
    const b2 = eventLog('b')
      .vitals(60_000, { heart_rate: 80 })
      .vitals(90_000, { heart_rate: 95 })
      .model();
    rerender({
      models: new Map([
        ['a', a],
        ['b', b2],
      ]),
      at: now,
    });
    expect(result.current[0]).toBe(first);
    expect(result.current[1]).not.toBe(second);
    expect(result.current[1].vitals[0].value).toBe('95');
  });

  it('works every view out again when the clock ticks (the ages move)', () => {
    const models = new Map([
      ['a', a],
      ['b', b],
    ]);
    const { result, rerender } = renderHook(
      ({ at }: { at: number }) => useTileViews(sessions, models, at),
      {
        initialProps: { at: now },
      },
    );
    const [first] = result.current;
    rerender({ at: now + 1_000 });
    expect(result.current[0]).not.toBe(first);
    expect(result.current[0].vitals[0].ageMs).toBe(first.vitals[0].ageMs! + 1_000);
  });
});
