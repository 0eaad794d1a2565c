import { renderHook } from '@testing-library/react';
import { eventLog, summary, T0 } from '../../read-model/testing';
import type { SessionModel } from '../../read-model/session-model';
import { NEWS2_MAX_AGE_MS } from '../../read-model/news2-input';
import { sameTileView, tileView } from './tile-view';
import { useTileViews } from './useTileViews';

// Counted, not replaced: the tests below check when the hook works a view out again.
jest.mock('./tile-view', () => {
  const actual = jest.requireActual<typeof import('./tile-view')>('./tile-view');
  return { ...actual, tileView: jest.fn(actual.tileView) };
});
const worked = tileView as jest.MockedFunction<typeof tileView>;

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

describe('useTileViews between change points', () => {
  const models = new Map([['a', eventLog('a').vitals(115_000, { heart_rate: 70 }).model()]]);
  const one = [summary('a', 'Ann Ash')];
  const at = (ms: number) =>
    renderHook(({ t }) => useTileViews(one, models, t), {
      initialProps: { t: T0 + ms },
    });

  it('works a view out again only at the next minute since the dose, not on the ticks before', () => {
    // At 2:26 the HR (measured 1:55) is fresh until 2:25 + 1 ms: already stale, no change left.
    const { result, rerender } = at(146_000);
    const first = result.current;
    expect(first[0].vitals[0].stale).toBe(true);
    worked.mockClear();
    for (let t = 147_000; t < 180_000; t += 1000) rerender({ t: T0 + t });
    rerender({ t: T0 + 179_999 });
    expect(worked).not.toHaveBeenCalled();
    expect(result.current).toBe(first);
    rerender({ t: T0 + 180_000 });
    expect(worked).toHaveBeenCalledTimes(1);
    expect(result.current[0].minutesSinceDose).toBe(3);
  });

  it('works a view out again when a value turns stale, 1 ms after its limit', () => {
    const { result, rerender } = at(130_000);
    expect(result.current[0].vitals[0].stale).toBe(false);
    expect(result.current[0].changesAt).toBe(T0 + 145_001);
    worked.mockClear();
    rerender({ t: T0 + 145_000 });
    expect(worked).not.toHaveBeenCalled();
    rerender({ t: T0 + 145_001 });
    expect(worked).toHaveBeenCalledTimes(1);
    expect(result.current[0].vitals[0].stale).toBe(true);
  });
});

describe('tileView changesAt', () => {
  it('is when the check-in falls due, when that comes before the next minute', () => {
    const m = eventLog('a').checkIn(40_000, { moaas: 5 }).model();
    const view = tileView(summary('a', 'Ann Ash'), m, T0 + 935_000);
    // Due at 15:40; NEWS2 keeps the MOAA/S until 15:40 too.
    expect(view.changesAt).toBe(T0 + 940_001);
    expect(view.checkIn.overdue).toBe(false);
    const late = tileView(summary('a', 'Ann Ash'), m, T0 + 940_001);
    expect(late.checkIn).toMatchObject({ dueAt: T0 + 940_000, overdue: true });
    expect(late.overdueSince).toBe(T0 + 940_000);
    // Overdue, it changes at the next minute only: how long is the screen's to count.
    expect(late.changesAt).toBe(T0 + 960_000);
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
      'changesAt',
      'checkIn',
      'dosedAt',
      'ended',
      'endedAt',
      'infoAlerts',
      'lastDataAt',
      'loading',
      'minutesSinceDose',
      'news2',
      'news2Level',
      'overdueSince',
      'overrides',
      'patientMessageAt',
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
