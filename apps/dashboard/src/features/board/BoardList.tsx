import { Link } from 'react-router';
import { AlertBadge } from '../alerts/AlertBadge';
import { formatAge, formatClock } from '../../read-model/staleness';
import { STATE_LABEL } from './SessionTile';
import type { TileView } from './tile-view';

function Values({ view, now }: { view: TileView; now: number }) {
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

function CheckIn({ view, now }: { view: TileView; now: number }) {
  const { dueAt, overdueMs } = view.checkIn;
  if (view.loading) return <span className="muted">loading…</span>;
  if (view.ended || dueAt === null) return <>–</>;
  if (overdueMs > 0)
    return (
      <strong className="checkin-overdue">
        <span aria-hidden="true">⚠ </span>overdue {formatAge(overdueMs)}
      </strong>
    );
  return (
    <>
      due {formatClock(dueAt)} (in {formatAge(dueAt - now)})
    </>
  );
}

/** The board as one row per session: the same facts as the tiles, for a longer list. */
export function BoardList({ tiles, now }: { tiles: TileView[]; now: number }) {
  return (
    <table className="board-list">
      <thead>
        <tr>
          <th scope="col">Patient</th>
          <th scope="col">State</th>
          <th scope="col">Top alert</th>
          <th scope="col">Latest values</th>
          <th scope="col">Check-in</th>
          <th scope="col">Device</th>
        </tr>
      </thead>
      <tbody>
        {tiles.map((t) => (
          <tr
            key={t.sessionId}
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
              <Values view={t} now={now} />
            </td>
            <td>
              <CheckIn view={t} now={now} />
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
        ))}
      </tbody>
    </table>
  );
}
