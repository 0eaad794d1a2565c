import { memo, useContext, useRef } from 'react';
import { Link } from 'react-router';
import { AlertBadge } from '../alerts/AlertBadge';
import { formatAge, formatClock } from '../../read-model/staleness';
import { STATE_LABEL } from './SessionTile';
import { TileClock, useOnScreenClock, useTileClock } from './tile-clock';
import type { TileView } from './tile-view';

function Values({ view }: { view: TileView }) {
  const now = useTileClock();
  return (
    <>
      {view.vitals
        .filter((v) => v.value !== null)
        .map((v) => (
          <span key={v.key} className={`list-vital${v.stale ? ' vital-stale' : ''}`}>
            {v.label} <strong>{v.value}</strong>{' '}
            <span className="muted">{formatAge(Math.max(0, now - (v.measuredAt ?? now)))}</span>
            {v.stale && <span className="stale-tag"> stale</span>}
          </span>
        ))}
    </>
  );
}

function CheckIn({ view }: { view: TileView }) {
  const now = useTileClock();
  const { dueAt, overdue } = view.checkIn;
  if (view.loading) return <span className="muted">loading…</span>;
  if (view.ended || dueAt === null) return <>–</>;
  if (overdue)
    return (
      <strong className="checkin-overdue">
        <span aria-hidden="true">⚠ </span>overdue {formatAge(Math.max(0, now - dueAt))}
      </strong>
    );
  return (
    <>
      due {formatClock(dueAt)} (in {formatAge(dueAt - now)})
    </>
  );
}

/**
 * One session's row. Memoised on its view, as the tiles are; its ages and countdown take the
 * board's TileClock only while the row is on screen (the list renders all 200).
 */
const Row = memo(function Row({ t }: { t: TileView }) {
  const ref = useRef<HTMLTableRowElement>(null);
  const clock = useOnScreenClock(useContext(TileClock), ref, t.sessionId);
  return (
    <TileClock value={clock}>
      <tr
        ref={ref}
        data-testid="board-row"
        data-session-id={t.sessionId}
        className={t.topAlert ? `row-${t.topAlert.priority}` : undefined}
      >
        <th scope="row">
          <Link to={`/sessions/${t.sessionId}`}>{t.patientName}</Link>
        </th>
        <td>
          {STATE_LABEL[t.state] ?? t.state}
          {t.minutesSinceDose !== null && !t.ended && ` · ${t.minutesSinceDose} min`}
        </td>
        <td className="list-alert">
          {t.topAlert ? (
            <>
              <AlertBadge priority={t.topAlert.priority} /> {t.topAlert.message}
              {t.alerts.length > 1 && <span className="muted"> +{t.alerts.length - 1}</span>}
            </>
          ) : (
            <span className="muted">{t.loading ? 'Loading…' : 'none'}</span>
          )}
        </td>
        <td className="list-values">
          <Values view={t} />
        </td>
        <td>
          <CheckIn view={t} />
        </td>
        <td>
          {t.ended
            ? 'ended'
            : t.loading
              ? 'loading…'
              : t.presence.status === 'online'
                ? 'online'
                : t.presence.status === 'silent'
                  ? '⚠ no signal'
                  : 'no heartbeat yet'}
        </td>
      </tr>
    </TileClock>
  );
});

/**
 * The board as one row per session: the same facts as the tiles, for a longer list. Its ages
 * count from the TileClock above it.
 */
export function BoardList({ tiles }: { tiles: TileView[] }) {
  return (
    <table className="board-list">
      <thead>
        <tr>
          <th scope="col">Patient</th>
          <th scope="col">State</th>
          <th scope="col">Top alert</th>
          <th scope="col">Latest values</th>
          <th scope="col">Check-in</th>
          <th scope="col">Phone</th>
        </tr>
      </thead>
      <tbody>
        {tiles.map((t) => (
          <Row key={t.sessionId} t={t} />
        ))}
      </tbody>
    </table>
  );
}
