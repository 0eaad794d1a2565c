import type { ComponentProps } from 'react';
import { CheckInTimeline } from './CheckInTimeline';
import { VitalsCharts } from './VitalsCharts';

/**
 * A session's main column: the vitals charts over the check-ins, the same on the live session
 * page and in the supervisor's replay (where `now` is the replay cursor).
 */
export function SessionRecord({
  model,
  dosedAt,
  protocol,
  now,
}: ComponentProps<typeof VitalsCharts>) {
  return (
    <div className="session-main">
      {model.readings === 'all' ? (
        <VitalsCharts model={model} dosedAt={dosedAt} protocol={protocol} now={now} />
      ) : (
        // The board's watch held the latest values only; the whole log is on its way.
        <p className="muted">Loading the session’s readings…</p>
      )}
      <CheckInTimeline
        checkIns={model.checkIns}
        dosedAt={dosedAt}
        baselineMoaas={model.screening?.moaasBaseline}
      />
    </div>
  );
}
