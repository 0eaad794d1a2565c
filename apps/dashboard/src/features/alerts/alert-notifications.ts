import type { AlertRecord } from '../../read-model/session-model';
import { PRIORITY_LABEL } from './alert-logic';

const ASKED_KEY = 'vigil.notifications.asked';

export type NotificationState = 'unsupported' | NotificationPermission;

export function notificationState(): NotificationState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Ask once per browser; the prompt explains why before the browser's own dialog appears. */
export function shouldOfferNotifications(): boolean {
  return notificationState() === 'default' && globalThis.localStorage?.getItem(ASKED_KEY) !== '1';
}

export async function requestNotifications(): Promise<NotificationState> {
  globalThis.localStorage?.setItem(ASKED_KEY, '1');
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

export function declineNotifications(): void {
  globalThis.localStorage?.setItem(ASKED_KEY, '1');
}

/**
 * The OS notification names the condition, not the patient: it may show on a shared screen or
 * a lock screen. Clicking it brings the tab forward to the session.
 */
export function notifyAlert(alert: AlertRecord, open: () => void): void {
  if (notificationState() !== 'granted') return;
  const n = new Notification(`Vigil: ${PRIORITY_LABEL[alert.priority]} priority alert`, {
    body: `${alert.message}. Open Vigil to respond.`,
    // A reopened or more urgent alert is announced again: a new tag, so it is not merged away.
    tag: `${alert.id}:${alert.annunciation}`,
    requireInteraction: alert.priority === 'high',
  });
  n.onclick = () => {
    globalThis.focus?.();
    open();
    n.close();
  };
}
