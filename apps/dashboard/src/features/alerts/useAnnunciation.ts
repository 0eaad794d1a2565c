import { useEffect, useRef } from 'react';
import type { AlertRecord } from '../workspace/session-model';
import { alarmLevel, countAlerts, highestPriority } from './alert-logic';
import { notifyAlert } from './alert-notifications';
import type { AlarmSound } from './alarm-sound';
import { applyTabBadge } from './tab-badge';

export interface SessionAlert {
  sessionId: string;
  alert: AlertRecord;
}

/**
 * Makes unresolved alerts hard to miss anywhere on the machine: the alarm sound (until
 * acknowledged or silenced), the tab title and favicon, and an OS notification for each new
 * high or medium alert while the tab is hidden. Runs while the screen is locked, too.
 */
export function useAnnunciation(
  alerts: readonly SessionAlert[],
  now: number,
  sound: AlarmSound,
  openSession: (sessionId: string) => void,
): void {
  const level = alarmLevel(
    alerts.map((a) => a.alert),
    now,
  );
  useEffect(() => sound.setLevel(level), [sound, level]);
  useEffect(() => () => sound.stop(), [sound]);

  const counts = countAlerts(alerts.map((a) => a.alert));
  const top = highestPriority(counts);
  useEffect(() => applyTabBadge(document, counts.total, top), [counts.total, top]);
  useEffect(() => () => applyTabBadge(document, 0, null), []);

  const notified = useRef(new Set<string>());
  const open = useRef(openSession);
  open.current = openSession;
  useEffect(() => {
    for (const { sessionId, alert } of alerts) {
      const key = `${alert.id}:${alert.priority}`;
      if (alert.status !== 'open' || notified.current.has(key)) continue;
      if (alert.priority !== 'high' && alert.priority !== 'medium') continue;
      notified.current.add(key);
      if (document.hidden) notifyAlert(alert, () => open.current(sessionId));
    }
  }, [alerts]);
}
