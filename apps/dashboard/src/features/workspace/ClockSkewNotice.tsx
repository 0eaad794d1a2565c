import { useSyncExternalStore } from 'react';
import { formatAge } from '../../read-model/staleness';
import { serverClock } from '../../clock/server-clock';

/**
 * How far this computer's clock may be from the server's before the screen says so. The ages,
 * countdowns and staleness are right whatever the difference (they follow the server's clock),
 * so this is not an alarm: it is for the times on screen ("check-in due 11:05"), which are the
 * server's and read to the minute against the computer's own clock in the corner, and for
 * someone to set that clock right. A minute is the first difference a minute can show; below it
 * the notice would come and go with the estimate's second or so of error.
 */
export const CLOCK_NOTICE_MS = 60_000;

/** Says so when this computer's clock is off the server's by more than CLOCK_NOTICE_MS. */
export function ClockSkewNotice() {
  const offset = useSyncExternalStore(serverClock.subscribe, serverClock.offsetMs);
  if (Math.abs(offset) <= CLOCK_NOTICE_MS) return null;
  // To the nearest minute: the estimate is good to a second or so either side, and 4:59.6 off
  // is "5 min" to a person setting the clock, not the "4 min" an age's floor would say.
  const by = formatAge(Math.round(Math.abs(offset) / 60_000) * 60_000);
  return (
    <p className="banner banner-warning" role="status" data-testid="clock-skew">
      <span aria-hidden="true">◷ </span>
      <strong>
        This computer&apos;s clock is {by} {offset > 0 ? 'behind' : 'ahead of'} the server&apos;s.
      </strong>{' '}
      Ages, countdowns and times here follow the server&apos;s clock, so they will not match this
      computer&apos;s. Ask for its clock to be set right.
    </p>
  );
}
