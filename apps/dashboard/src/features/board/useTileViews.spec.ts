import { renderHook } from '@testing-library/react';
import { eventLog, summary, T0 } from '../../read-model/testing';
import type { SessionModel } from '../../read-model/session-model';
import { NEWS2_MAX_AGE_MS } from '../../read-model/news2-input';
import { sameTileView, tileView } from './tile-view';
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

  it('keeps a view on a tick that changes none of its facts: the screen counts the ages', () => {
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
    const [first, second] = result.current;
    rerender({ at: now + 1_000 });
    expect(result.current[0]).toBe(first);
    expect(result.current[1]).toBe(second);
    expect(first.vitals[0].measuredAt).toBe(T0 + 60_000);
  });

  it('gives a new view when a tick changes a fact (minutes since dose, NEWS2 losing a value)', () => {
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
    rerender({ at: now + 60_000 });
    expect(result.current[0]).not.toBe(first);
    expect(result.current[0].minutesSinceDose).toBe(first.minutesSinceDose! + 1);
    const [minuteLater] = result.current;
    rerender({ at: T0 + 60_000 + NEWS2_MAX_AGE_MS + 1 });
    expect(result.current[0].news2.scores.pulse).toBeUndefined();
    expect(minuteLater.news2.scores.pulse).toBeDefined();
  });
});

describe('sameTileView', () => {
  const view = tileView(
    summary('a', 'Ann Ash'),
    eventLog('a').vitals(60_000, { heart_rate: 70 }).model(),
    T0 + 120_000,
  );

  it('holds for the same facts worked out at another moment, not for a changed value or alert', () => {
    const later = tileView(
      summary('a', 'Ann Ash'),
      eventLog('a').vitals(60_000, { heart_rate: 70 }).model(),
      T0 + 121_000,
    );
    expect(later).not.toBe(view);
    expect(sameTileView(view, later)).toBe(true);
    const other = eventLog('a').vitals(60_000, { heart_rate: 71 }).model();
    expect(sameTileView(view, tileView(summary('a', 'Ann Ash'), other, T0 + 120_000))).toBe(false);
    const alerted = eventLog('a')
      .vitals(60_000, { heart_rate: 70 })
      .raise(61_000, 'x1', 'high', 'HR 70')
      .model();
    expect(sameTileView(view, tileView(summary('a', 'Ann Ash'), alerted, T0 + 120_000))).toBe(
      false,
    );
  });

  it('compares every field of the view (a new field must be added to sameTileView)', () => {
    expect(Object.keys(view).sort()).toEqual([
      'alerts',
      'checkIn',
      'dosedAt',
      'ended',
      'endedAt',
      'infoAlerts',
      'lastDataAt',
      'loading',
      'minutesSinceDose',
      'news2',
      'news2Total',
      'overdueMs',
      'overrides',
      'patientName',
      'presence',
      'sessionId',
      'state',
      'topAlert',
      'vitals',
    ]);
    expect(Object.keys(view.vitals[0]).sort()).toEqual([
      'key',
      'label',
      'measuredAt',
      'stale',
      'unit',
      'value',
    ]);
  });
});
