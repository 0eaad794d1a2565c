import { useEffect, useRef } from 'react';
import type { AlertRecord } from '../../read-model/session-model';
import { alarmLevel, countAlerts, highestPriority, isSilenced } from './alert-logic';
import { notifyAlert } from './alert-notifications';
import type { AlarmSound } from './alarm-sound';
import { endsSoundPause, isSoundPaused, type SoundPause } from './sound-pause';
import { applyTabBadge } from './tab-badge';

export interface SessionAlert {
  sessionId: string;
  alert: AlertRecord;
}

/** The sound the hook drives (AlarmSound, or a fake in a test). */
export type AlarmOutput = Pick<AlarmSound, 'setLevel' | 'stop' | 'retrigger'>;

/**
 * Makes unresolved alerts hard to miss anywhere on the machine: the alarm sound (until
 * acknowledged or silenced), the tab title and favicon, and an OS notification for each new
 * high or medium alert while the tab is hidden. An alert announced again (reopened, or its
 * priority rose: AlertRecord.annunciation) counts as new: the burst plays again at once and the
 * notification repeats. A value-only update is silent. Runs while the screen is locked, too.
 * A station-wide sound pause (`pause`) keeps the speaker quiet and nothing else; a new alert of
 * a higher priority than the paused ones ends it (`onPauseEnd`) and sounds at once.
 */
export function useAnnunciation(
  alerts: readonly SessionAlert[],
  now: number,
  sound: AlarmOutput,
  openSession: (sessionId: string) => void,
  pause: SoundPause | null = null,
  onPauseEnd: () => void = () => undefined,
): void {
  const paused = isSoundPaused(pause, now);
  const wanted = alarmLevel(
    alerts.map((a) => a.alert),
    now,
  );
  const level = paused ? null : wanted;
  useEffect(() => () => sound.stop(), [sound]);

  const counts = countAlerts(alerts.map((a) => a.alert));
  const top = highestPriority(counts);
  useEffect(() => applyTabBadge(document, counts.total, top), [counts.total, top]);
  useEffect(() => () => applyTabBadge(document, 0, null), []);

  const notified = useRef(new Set<string>());
  const playing = useRef<typeof level | undefined>(undefined);
  const open = useRef(openSession);
  open.current = openSession;
  const endPause = useRef(onPauseEnd);
  endPause.current = onPauseEnd;
  useEffect(() => {
    let fresh = false;
    let breaksPause = false;
    for (const { sessionId, alert } of alerts) {
      const key = `${alert.id}:${alert.annunciation}`;
      if (alert.status !== 'open' || notified.current.has(key)) continue;
      if (alert.priority !== 'high' && alert.priority !== 'medium') continue;
      notified.current.add(key);
      if (!isSilenced(alert, now)) fresh = true;
      if (paused && !isSilenced(alert, now) && endsSoundPause(alert.priority, pause))
        breaksPause = true;
      if (document.hidden) notifyAlert(alert, () => open.current(sessionId));
    }
    if (breaksPause) {
      // The next render plays the new level with a burst of its own.
      endPause.current();
      return;
    }
    if (level !== playing.current) {
      sound.setLevel(level); // a new level starts with a burst of its own
      playing.current = level;
    } else if (fresh && !paused) {
      sound.retrigger();
    }
  }, [alerts, level, sound, paused]);
}
