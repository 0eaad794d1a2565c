import { useEffect, useState, useSyncExternalStore } from 'react';
import {
  declineNotifications,
  requestNotifications,
  shouldOfferNotifications,
} from './alert-notifications';
import type { AlarmSound } from './alarm-sound';

/**
 * Says when the alarm cannot sound (browsers keep audio off until the first click or key
 * press) and offers, once, to allow notifications, giving the reason first.
 */
export function AlarmControls({ sound }: { sound: AlarmSound }) {
  const blocked = useSyncExternalStore(
    (cb) => sound.onChange(cb),
    () => sound.isBlocked(),
  );
  const [offer, setOffer] = useState(shouldOfferNotifications);

  useEffect(() => {
    // Any click or key press counts as the gesture the browser waits for.
    const unlock = () => void sound.unlock();
    window.addEventListener('pointerdown', unlock);
    window.addEventListener('keydown', unlock);
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, [sound]);

  return (
    <>
      {blocked && (
        <div className="banner banner-warning" role="status" data-testid="sound-blocked">
          <span aria-hidden="true">⚠ </span>
          Alarm sound is off until you interact with this page.{' '}
          <button type="button" className="secondary" onClick={() => void sound.unlock()}>
            Turn alarm sound on
          </button>
        </div>
      )}
      {offer && (
        <div className="banner banner-info" role="region" aria-label="Notifications">
          Allow notifications so that a new high or medium alert reaches you while this tab is in
          the background. They name the condition, not the patient.{' '}
          <button
            type="button"
            className="secondary"
            onClick={() => void requestNotifications().finally(() => setOffer(false))}
          >
            Allow notifications
          </button>{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              declineNotifications();
              setOffer(false);
            }}
          >
            Not now
          </button>
        </div>
      )}
    </>
  );
}
