import { renderHook } from '@testing-library/react';
import type { AlertRecord } from '../../read-model/session-model';
import { makeAlert, T0 } from '../../read-model/testing';
import { startSoundPause, type SoundPause } from './sound-pause';
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

  describe('station-wide sound pause (IEC 60601-1-8 audio paused)', () => {
    type Props = { alerts: SessionAlert[]; now: number; pause: SoundPause | null };
    const mount = (initial: Props, onPauseEnd = jest.fn()) => {
      const hook = renderHook(
        ({ alerts, now, pause }: Props) =>
          useAnnunciation(alerts, now, sound, () => undefined, pause, onPauseEnd),
        { initialProps: initial },
      );
      return { ...hook, onPauseEnd };
    };

    it('keeps the speaker quiet for 2 min at most, then sounds what is still open', () => {
      const pause = startSoundPause(T0, 'medium');
      expect(pause.until - T0).toBe(2 * 60_000);
      const alerts = [open('m1', 'medium')];
      const { rerender } = mount({ alerts, now: T0, pause });
      expect(sound.setLevel).not.toHaveBeenCalledWith('medium');
      rerender({ alerts, now: T0 + 119_000, pause });
      expect(sound.setLevel).not.toHaveBeenCalledWith('medium');
      rerender({ alerts, now: T0 + 120_000, pause });
      expect(sound.setLevel).toHaveBeenLastCalledWith('medium');
    });

    it('ends the pause for a new alert of a higher priority than the paused ones', () => {
      const pause = startSoundPause(T0, 'medium');
      const { rerender, onPauseEnd } = mount({
        alerts: [open('m1', 'medium')],
        now: T0,
        pause,
      });
      // Same priority: shown (the list is untouched) but not sounded while paused.
      rerender({ alerts: [open('m1', 'medium'), open('m2', 'medium')], now: T0 + 5_000, pause });
      expect(onPauseEnd).not.toHaveBeenCalled();
      expect(sound.retrigger).not.toHaveBeenCalled();
      const withHigh = [open('m1', 'medium'), open('m2', 'medium'), open('h1', 'high')];
      rerender({ alerts: withHigh, now: T0 + 10_000, pause });
      expect(onPauseEnd).toHaveBeenCalledTimes(1);
      // The workspace clears the pause; the next render sounds the high alarm at once.
      rerender({ alerts: withHigh, now: T0 + 10_000, pause: null });
      expect(sound.setLevel).toHaveBeenLastCalledWith('high');
    });

    it('does not let a new high alert through a pause taken while a high one sounded', () => {
      const pause = startSoundPause(T0, 'high');
      const { rerender, onPauseEnd } = mount({ alerts: [open('h1', 'high')], now: T0, pause });
      rerender({ alerts: [open('h1', 'high'), open('h2', 'high')], now: T0 + 1_000, pause });
      expect(onPauseEnd).not.toHaveBeenCalled();
      expect(sound.setLevel).not.toHaveBeenCalledWith('high');
    });

    it('lets any new medium or high alert end a pause taken while nothing sounded', () => {
      const pause = startSoundPause(T0, null);
      const { rerender, onPauseEnd } = mount({ alerts: [], now: T0, pause });
      rerender({ alerts: [open('l1', 'low')], now: T0 + 1_000, pause });
      expect(onPauseEnd).not.toHaveBeenCalled();
      rerender({ alerts: [open('l1', 'low'), open('m1', 'medium')], now: T0 + 2_000, pause });
      expect(onPauseEnd).toHaveBeenCalledTimes(1);
    });
  });
});
