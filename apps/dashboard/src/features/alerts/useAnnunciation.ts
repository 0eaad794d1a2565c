import { useEffect, useRef } from 'react';
import type { AlertRecord } from '../workspace/session-model';
import { alarmLevel, countAlerts, highestPriority, isSilenced } from './alert-logic';
import { notifyAlert } from './alert-notifications';
import type { AlarmSound } from './alarm-sound';
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
 */
export function useAnnunciation(
  alerts: readonly SessionAlert[],
  now: number,
  sound: AlarmOutput,
  openSession: (sessionId: string) => void,
): void {
  const level = alarmLevel(
    alerts.map((a) => a.alert),
    now,
  );
  useEffect(() => () => sound.stop(), [sound]);

  const counts = countAlerts(alerts.map((a) => a.alert));
  const top = highestPriority(counts);
  useEffect(() => applyTabBadge(document, counts.total, top), [counts.total, top]);
  useEffect(() => () => applyTabBadge(document, 0, null), []);

  const notified = useRef(new Set<string>());
  const playing = useRef<typeof level | undefined>(undefined);
  const open = useRef(openSession);
  open.current = openSession;
  useEffect(() => {
    let fresh = false;
    for (const { sessionId, alert } of alerts) {
      const key = `${alert.id}:${alert.annunciation}`;
      if (alert.status !== 'open' || notified.current.has(key)) continue;
      if (alert.priority !== 'high' && alert.priority !== 'medium') continue;
      notified.current.add(key);
      if (!isSilenced(alert, now)) fresh = true;
      if (document.hidden) notifyAlert(alert, () => open.current(sessionId));
    }
    if (level !== playing.current) {
      sound.setLevel(level); // a new level starts with a burst of its own
      playing.current = level;
    } else if (fresh) {
      sound.retrigger();
    }
  }, [alerts, level, sound]);
}
