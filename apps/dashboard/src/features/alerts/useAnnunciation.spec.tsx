import { renderHook } from '@testing-library/react';
import type { AlertRecord } from '../workspace/session-model';
import { makeAlert, T0 } from '../workspace/testing';
import type { AlarmSound } from './alarm-sound';
import { useAnnunciation, type SessionAlert } from './useAnnunciation';

const open = (
  id: string,
  priority: AlertRecord['priority'],
  over: Partial<AlertRecord> = {},
): SessionAlert => ({
  sessionId: 's1',
  alert: makeAlert({ id, priority, message: `${priority} thing`, ...over }),
});

describe('useAnnunciation', () => {
  const sound = { setLevel: jest.fn(), stop: jest.fn() };
  const notified: Array<{ title: string; body?: string }> = [];
  beforeAll(() => {
    class FakeNotification {
      static permission = 'granted';
      onclick: (() => void) | null = null;
      constructor(title: string, options?: { body?: string }) {
        notified.push({ title, body: options?.body });
      }
      close() {}
    }
    Object.assign(globalThis, { Notification: FakeNotification });
  });

  it('sounds by priority until acknowledged, and counts open alerts in the tab title', () => {
    const { rerender } = renderHook(
      ({ alerts }: { alerts: SessionAlert[] }) =>
        useAnnunciation(alerts, T0, sound as unknown as AlarmSound, () => undefined),
      { initialProps: { alerts: [open('a', 'medium')] } },
    );
    expect(sound.setLevel).toHaveBeenLastCalledWith('medium');
    expect(document.title).toMatch(/^\(1\)/);
    rerender({ alerts: [open('a', 'medium'), open('b', 'high')] });
    expect(sound.setLevel).toHaveBeenLastCalledWith('high');
    expect(document.title).toMatch(/^\(2\) ‼/);
    rerender({
      alerts: [
        open('a', 'medium', { status: 'acknowledged' }),
        open('b', 'high', { status: 'acknowledged' }),
      ],
    });
    expect(sound.setLevel).toHaveBeenLastCalledWith(null);
  });

  it('notifies a new high alert while the tab is hidden, naming the condition but not the patient', () => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    renderHook(() =>
      useAnnunciation([open('h1', 'high')], T0, sound as unknown as AlarmSound, () => undefined),
    );
    expect(notified).toEqual([
      { title: 'Vigil: High priority alert', body: 'high thing. Open Vigil to respond.' },
    ]);
  });
});
