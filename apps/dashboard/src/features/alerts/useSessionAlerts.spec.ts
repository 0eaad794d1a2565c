import { renderHook } from '@testing-library/react';
import { applyEvents, type SessionModel } from '../../read-model/session-model';
import { eventLog } from '../../read-model/testing';
import { useSessionAlerts } from './useSessionAlerts';

describe('useSessionAlerts', () => {
  const a = eventLog('a').raise(0, 'a1', 'medium', 'SpO2 93 (limit 94)', 'spo2_low').model();
  const b = eventLog('b').raise(1_000, 'b1', 'high', 'Help requested', 'help').model();
  const later = (m: SessionModel, type: 'vitals' | 'ack') =>
    applyEvents(m, [
      type === 'vitals'
        ? { ...eventLog('a').vitals(5_000, { heart_rate: 80 }).events[0], seq: 2 }
        : {
            ...eventLog('a').add('alert.acknowledged', 5_000, { alertId: 'a1', by: 'u1' })
              .events[0],
            seq: 2,
          },
    ]);

  it('gives every session’s unresolved alerts, most urgent first', () => {
    const { result } = renderHook(() =>
      useSessionAlerts(
        new Map([
          ['a', a],
          ['b', b],
        ]),
      ),
    );
    expect(result.current.map((x) => [x.sessionId, x.alert.id])).toEqual([
      ['b', 'b1'],
      ['a', 'a1'],
    ]);
  });

  it('keeps the same list through readings, and a new one when an alert changes', () => {
    const { result, rerender } = renderHook(({ models }) => useSessionAlerts(models), {
      initialProps: {
        models: new Map([
          ['a', a],
          ['b', b],
        ]),
      },
    });
    const first = result.current;
    rerender({
      models: new Map([
        ['a', later(a, 'vitals')],
        ['b', b],
      ]),
    });
    expect(result.current).toBe(first);
    rerender({
      models: new Map([
        ['a', later(a, 'ack')],
        ['b', b],
      ]),
    });
    expect(result.current).not.toBe(first);
    expect(result.current.find((x) => x.alert.id === 'a1')?.alert.status).toBe('acknowledged');
  });
});
