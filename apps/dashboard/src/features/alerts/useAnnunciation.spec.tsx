import { renderHook } from '@testing-library/react';
import type { AlertRecord } from '../workspace/session-model';
import { makeAlert, T0 } from '../workspace/testing';
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
  const sound = { setLevel: jest.fn(), stop: jest.fn(), retrigger: jest.fn() };
  beforeEach(() => jest.clearAllMocks());
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
        useAnnunciation(alerts, T0, sound, () => undefined),
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
    renderHook(() => useAnnunciation([open('h1', 'high')], T0, sound, () => undefined));
    expect(notified).toEqual([
      { title: 'Vigil: High priority alert', body: 'high thing. Open Vigil to respond.' },
    ]);
  });

  it('announces a reopened alert again: sound restarted and a new notification', () => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    notified.length = 0;
    const run = (alerts: SessionAlert[]) => useAnnunciation(alerts, T0, sound, () => undefined);
    const { rerender } = renderHook(({ alerts }: { alerts: SessionAlert[] }) => run(alerts), {
      initialProps: { alerts: [open('r1', 'high'), open('other', 'high')] },
    });
    expect(sound.setLevel).toHaveBeenLastCalledWith('high');
    expect(sound.retrigger).not.toHaveBeenCalled();
    // The other high alert keeps the alarm at "high": the reopened one must still be heard.
    rerender({
      alerts: [open('r1', 'high', { status: 'acknowledged' }), open('other', 'high')],
    });
    rerender({ alerts: [open('r1', 'high', { annunciation: 2 }), open('other', 'high')] });
    expect(sound.retrigger).toHaveBeenCalledTimes(1);
    expect(notified.filter((n) => n.body === 'high thing. Open Vigil to respond.')).toHaveLength(3);
  });

  it('stays silent on a value-only update, and for informational alerts', () => {
    const run = (alerts: SessionAlert[]) => useAnnunciation(alerts, T0, sound, () => undefined);
    const { rerender } = renderHook(({ alerts }: { alerts: SessionAlert[] }) => run(alerts), {
      initialProps: { alerts: [open('v1', 'medium')] },
    });
    rerender({ alerts: [open('v1', 'medium', { message: 'new value' })] });
    rerender({
      alerts: [
        open('v1', 'medium', { message: 'new value' }),
        open('s1', 'info', { condition: 'sedation', message: 'MOAA/S 4 below pre-dose 5' }),
      ],
    });
    expect(sound.retrigger).not.toHaveBeenCalled();
    expect(sound.setLevel).toHaveBeenCalledTimes(1);
    expect(sound.setLevel).toHaveBeenLastCalledWith('medium');
  });

  it('sounds a pre-dose no-go (medium) until the clinician acts', () => {
    const noGo = open('n1', 'medium', {
      condition: 'predose_no_go',
      message: 'BP 172/96 >= 160/100: dose blocked',
    });
    const { rerender } = renderHook(
      ({ alerts }: { alerts: SessionAlert[] }) =>
        useAnnunciation(alerts, T0, sound, () => undefined),
      { initialProps: { alerts: [noGo] } },
    );
    expect(sound.setLevel).toHaveBeenLastCalledWith('medium');
    rerender({ alerts: [] });
    expect(sound.setLevel).toHaveBeenLastCalledWith(null);
  });
});
