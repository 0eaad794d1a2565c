import { useEffect, useRef, useState } from 'react';
import { nextAnnouncement, type Announcement } from './alert-announcements';
import type { SessionAlert } from './useAnnunciation';

/**
 * Says new high and medium alerts to screen readers wherever the clinician is (board, session
 * view, lock screen): the sound's counterpart for those who cannot see the screen. The live
 * regions are always in the page, empty until there is news, so readers pick the change up.
 */
export function AlertAnnouncer({
  alerts,
  names,
}: {
  alerts: readonly SessionAlert[];
  names: ReadonlyMap<string, string>;
}) {
  const announced = useRef(new Set<string>());
  const [said, setSaid] = useState<Announcement>({ assertive: '', polite: '' });
  useEffect(() => {
    const next = nextAnnouncement(alerts, names, announced.current);
    if (next) setSaid(next);
  }, [alerts, names]);
  return (
    <div className="visually-hidden" data-testid="alert-announcer">
      <div aria-live="assertive" aria-atomic="true">
        {said.assertive}
      </div>
      <div aria-live="polite" aria-atomic="true">
        {said.polite}
      </div>
    </div>
  );
}
