import { Link } from 'react-router';
import './board.css';
import { AlertBadge } from '../alerts/AlertBadge';
import { NEWS2_LABELS } from '../workspace/news2-input';
import { formatAge, formatClock } from '../workspace/staleness';
import type { TileView, VitalView } from './tile-view';

const STATE_LABEL: Record<string, string> = {
  screening: 'Screening',
  ready: 'Ready to dose',
  dosed: 'Dosed',
  monitoring: 'Monitoring',
  recovery: 'Recovery',
  ended: 'Ended',
  aborted: 'Aborted',
};

function Vital({ v }: { v: VitalView }) {
  return (
    <div className={`vital${v.stale ? ' vital-stale' : ''}`} data-testid={`vital-${v.key}`}>
      <dt>{v.label}</dt>
      <dd>
        {v.value === null ? (
          <span className="muted">no reading</span>
        ) : (
          <>
            <span className="vital-value">{v.value}</span> <span className="unit">{v.unit}</span>
            <span className="vital-age">
              {v.stale && (
                <span className="stale-tag">
                  <span aria-hidden="true">◷</span> stale{' '}
                </span>
              )}
              {formatAge(v.ageMs ?? 0)} ago
            </span>
          </>
        )}
      </dd>
    </div>
  );
}

function CheckInLine({ view, now }: { view: TileView; now: number }) {
  const { lastAt, dueAt, overdueMs } = view.checkIn;
  const last = lastAt ? `last ${formatAge(Math.max(0, now - Date.parse(lastAt)))} ago` : 'none yet';
  if (dueAt === null) return <p className="checkin">Check-in: {last}</p>;
  return (
    <p className={`checkin${overdueMs > 0 ? ' checkin-overdue' : ''}`} data-testid="checkin">
      Check-in: {last} ·{' '}
      {overdueMs > 0 ? (
        <strong>
          <span aria-hidden="true">⚠ </span>overdue {formatAge(overdueMs)} (due {formatClock(dueAt)}
          )
        </strong>
      ) : (
        <>
          next due {formatClock(dueAt)} (in {formatAge(dueAt - now)})
        </>
      )}
    </p>
  );
}

function Device({ view }: { view: TileView }) {
  const { status, lastSeenAt } = view.presence;
  if (status === 'online')
    return (
      <p className="device device-online">
        <span aria-hidden="true">● </span>Device online
      </p>
    );
  const since = lastSeenAt ?? view.lastDataAt;
  return (
    <p className="device device-silent" data-testid="device">
      <span aria-hidden="true">⚠ </span>
      {status === 'silent'
        ? `Device silent: no data since ${since ? formatClock(since) : 'start'}`
        : 'Device: no heartbeat yet'}
    </p>
  );
}

/** One live session on the board: everything needed to decide whom to look at first. */
export function SessionTile({ view, now }: { view: TileView; now: number }) {
  const top = view.topAlert;
  const missing = view.news2.missing.map((p) => NEWS2_LABELS[p]).join(', ');
  return (
    <li
      className={`tile${top ? ` tile-${top.priority}` : ''}`}
      data-testid="tile"
      data-session-id={view.sessionId}
      aria-labelledby={`tile-${view.sessionId}`}
    >
      <div className="tile-head">
        <Link
          to={`/sessions/${view.sessionId}`}
          className="tile-name"
          id={`tile-${view.sessionId}`}
        >
          {view.patientName}
        </Link>
        <span className="tile-state">
          {STATE_LABEL[view.state] ?? view.state}
          {view.minutesSinceDose !== null && ` · ${view.minutesSinceDose} min since dose`}
        </span>
      </div>
      {top ? (
        <p className={`tile-alert alert-row-${top.priority}`} data-testid="tile-alert">
          <AlertBadge priority={top.priority} />{' '}
          <span className="tile-alert-msg">{top.message}</span>
          <span className="tile-alert-status">
            {top.status === 'acknowledged' ? 'acknowledged' : 'unacknowledged'}
            {view.alerts.length > 1 && ` · +${view.alerts.length - 1} more`}
          </span>
        </p>
      ) : (
        <p className="tile-alert tile-alert-none">
          {view.loading ? 'Loading events…' : 'No open alerts'}
        </p>
      )}
      <dl className="vitals">
        {view.vitals.map((v) => (
          <Vital key={v.key} v={v} />
        ))}
      </dl>
      <CheckInLine view={view} now={now} />
      <p className={`news2 news2-${view.news2.band}`} data-testid="news2">
        {Object.keys(view.news2.scores).length === 0 ? (
          <>
            NEWS2 <strong>–</strong> <span className="muted">no recent values</span>
          </>
        ) : (
          <>
            NEWS2 <strong>{view.news2.total}</strong>
            {view.news2.band !== 'low' && ` (${view.news2.band.replace('_', '-')})`}
            {missing && <span className="muted"> · partial, missing: {missing}</span>}
          </>
        )}
      </p>
      <Device view={view} />
    </li>
  );
}
