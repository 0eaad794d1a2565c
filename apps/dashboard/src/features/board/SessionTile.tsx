import { memo, useContext, useRef } from 'react';
import { Link } from 'react-router';
import './board.css';
import { AlertBadge } from '../alerts/AlertBadge';
import { isSilenced } from '../alerts/alert-logic';
import { formatCountdown } from '../alerts/sound-pause';
import type { AlertRecord } from '../../read-model/session-model';
import { NEWS2_LABELS } from '../../read-model/news2-input';
import { describeOverride } from '../../read-model/overrides-in-force';
import { formatAge, formatClock } from '../../read-model/staleness';
import { TileClock, useFixedClock, useOnScreenClock, useTileClock } from './tile-clock';
import type { TileView } from './tile-view';
import { Vital } from './TileVital';

export const STATE_LABEL: Record<string, string> = {
  screening: 'Screening',
  ready: 'Ready to dose',
  dosed: 'Dosed',
  monitoring: 'Monitoring',
  recovery: 'Recovery',
  ended: 'Ended',
  aborted: 'Aborted',
};

/** `compact` on the central-station board; `detail` at the top of the session view. */
export type TileVariant = 'compact' | 'detail';

function CheckInLine({ view, detail }: { view: TileView; detail: boolean }) {
  const now = useTileClock();
  const { lastAt, dueAt, overdue } = view.checkIn;
  const last = lastAt ? `last ${formatAge(Math.max(0, now - Date.parse(lastAt)))} ago` : 'none yet';
  if (dueAt === null) return <p className="checkin">Check-in: {last}</p>;
  return (
    <p className={`checkin${overdue ? ' checkin-overdue' : ''}`} data-testid="checkin">
      Check-in{detail ? `: ${last} ·` : ''}{' '}
      {overdue ? (
        <strong>
          <span aria-hidden="true">⚠ </span>overdue {formatAge(Math.max(0, now - dueAt))}
          {/* The compact tile's line has no room for both; how late it is matters more. */}
          {detail && ` (due ${formatClock(dueAt)})`}
        </strong>
      ) : (
        <>
          {detail ? 'next ' : ''}due {formatClock(dueAt)} (in {formatAge(dueAt - now)})
        </>
      )}
    </p>
  );
}

function Device({ view, detail }: { view: TileView; detail: boolean }) {
  const { status, lastSeenAt } = view.presence;
  if (status === 'online')
    return (
      <span className="device device-online">
        <span aria-hidden="true">● </span>Phone online
      </span>
    );
  const since = lastSeenAt ?? view.lastDataAt;
  return (
    <span className="device device-silent" data-testid="device">
      <span aria-hidden="true">⚠ </span>
      {status === 'silent'
        ? `No signal${detail ? ': phone silent' : ''} since ${since ? formatClock(since) : 'start'}`
        : 'Phone: no heartbeat yet'}
    </span>
  );
}

/**
 * A patient's message nobody has answered, on the compact tile's foot beside the phone's state:
 * short ("✉ 04:12", the words read out and in the tooltip), so the informational line above
 * stays whole. Never the text: a wall display shows that someone wrote, not what.
 */
function MessageMark({ at }: { at: string | null }) {
  if (!at) return null;
  const words = `Message from the patient at ${formatClock(at)}, not answered yet`;
  return (
    <span className="tile-message" data-testid="tile-message" title={words}>
      <span aria-hidden="true">✉ {formatClock(at)}</span>
      <span className="visually-hidden">{words}</span>
    </span>
  );
}

/** Informational alerts: a line each, in words, no colour of alarm and never a sound. */
function InfoLines({ alerts }: { alerts: TileView['infoAlerts'] }) {
  if (alerts.length === 0) return null;
  return (
    <>
      {alerts.map((a) => (
        <p key={a.id} className="tile-info" data-testid="tile-info" data-condition={a.condition}>
          <span aria-hidden="true">ℹ </span>
          {a.message}
          {a.condition === 'sedation' && <span className="muted tile-info-note"> (expected)</span>}
        </p>
      ))}
    </>
  );
}

/**
 * NEWS2 as the engine scored it. An incomplete score (a parameter missing or older than 15 min)
 * has no band: its partial total is shown as "incomplete", never as "low"; the session view names
 * what is missing, the compact tile keeps that for its tooltip (it would repeat on every tile).
 */
function News2Line({ news2, detail }: { news2: TileView['news2']; detail: boolean }) {
  const missing = news2.missing.map((p) => NEWS2_LABELS[p]).join(', ');
  if (Object.keys(news2.scores).length === 0)
    return (
      <span className="news2 news2-none" data-testid="news2">
        <span className="news2-label">NEWS2</span> <strong>–</strong>{' '}
        <span className="news2-band muted">no recent values</span>
      </span>
    );
  const band = news2.complete ? news2.band : null;
  if (band === null)
    return (
      <span
        className="news2 news2-incomplete"
        data-testid="news2"
        title={detail ? undefined : `missing: ${missing}`}
      >
        <span className="news2-label">NEWS2</span> <strong>{news2.total}</strong>{' '}
        <span className="news2-band">incomplete</span>
        {detail && <span className="muted"> · missing: {missing}</span>}
      </span>
    );
  return (
    <span className={`news2 news2-${band}`} data-testid="news2">
      <span className="news2-label">NEWS2</span> <strong>{news2.total}</strong>{' '}
      {/* The compact cell puts the band on a line of its own, where brackets would only widen it. */}
      <span className="news2-band">
        {detail ? `(${band.replace('_', '-')})` : band.replace('_', '-')}
      </span>
    </span>
  );
}

/** The overrides in force, compact: the clinician must know this patient's limits differ. */
function OverridesLine({ view }: { view: TileView }) {
  if (view.overrides.length === 0) return null;
  const text = view.overrides.map(describeOverride).join(' · ');
  return (
    <p className="tile-overrides" data-testid="tile-overrides" title={text}>
      <span aria-hidden="true">⚙ </span>
      <strong>Overrides:</strong> {text}
    </p>
  );
}

/**
 * The compact tile's one line for what informs without alarming (expected sedation) and the
 * overrides in force. It comes last, so the values sit at the same height on every tile and the
 * check-in and device lines are never pushed out of the fixed height; cut to one line, its full
 * wording in the tooltip and on the session view.
 */
function NotesLine({ view }: { view: TileView }) {
  const overrides = view.overrides.map(describeOverride).join(' · ');
  const all = [
    ...view.infoAlerts.map((a) => a.message),
    ...(overrides ? [`Overrides: ${overrides}`] : []),
  ];
  if (all.length === 0) return null;
  return (
    <p className="tile-notes" data-testid="tile-notes" title={all.join(' · ')}>
      {view.infoAlerts.map((a) => (
        <span key={a.id} className="tile-info" data-testid="tile-info" data-condition={a.condition}>
          <span aria-hidden="true">ℹ </span>
          {a.message}
        </span>
      ))}
      {overrides && (
        <span className="tile-overrides" data-testid="tile-overrides">
          <span aria-hidden="true">⚙ </span>
          <strong>Overrides:</strong> {overrides}
        </span>
      )}
    </p>
  );
}

function EndedLine({ view }: { view: TileView }) {
  return (
    <p className="tile-ended" data-testid="tile-ended">
      <span aria-hidden="true">■ </span>
      {view.state === 'aborted' ? 'Aborted' : 'Ended'}
      {view.endedAt && ` at ${formatClock(view.endedAt)}`}: no check-ins are due and the phone is no
      longer watched.
    </p>
  );
}

/**
 * A silence is visible with its countdown wherever the alert is (CLINICAL.md): the board's alarm
 * stays quiet for it, so the tile says why and when the sound returns.
 */
function SilenceNote({ alert }: { alert: AlertRecord }) {
  const now = useTileClock();
  if (!alert.silencedUntil || !isSilenced(alert, now)) return null;
  return (
    <span data-testid="tile-silenced">
      {' · '}
      <span aria-hidden="true">◷ </span>silenced{' '}
      {formatCountdown(Date.parse(alert.silencedUntil) - now)}
    </span>
  );
}

export function TopAlertLine({ view }: { view: TileView }) {
  const top = view.topAlert;
  if (!top)
    return (
      <p className="tile-alert tile-alert-none">
        {view.loading ? 'Loading events…' : 'No open alerts'}
      </p>
    );
  return (
    <p
      className={`tile-alert alert-row-${top.priority}`}
      data-testid="tile-alert"
      title={top.message}
    >
      <AlertBadge priority={top.priority} /> <span className="tile-alert-msg">{top.message}</span>
      <span className="tile-alert-status">
        {top.status === 'acknowledged'
          ? 'acknowledged'
          : top.reopenedAt
            ? 'reopened, unacknowledged'
            : 'unacknowledged'}
        <SilenceNote alert={top} />
        {view.alerts.length > 1 && ` · +${view.alerts.length - 1} more`}
      </span>
    </p>
  );
}

/**
 * One live session: everything needed to decide whom to look at first. The compact variant has a
 * fixed height (one line per fact, long text cut with its full wording in a tooltip) so a
 * 1920x1080 station shows 24 at once; the session view shows the same tile with every detail.
 * Memoised: on a 200-session board a frame's events change a few tiles, not every one on screen.
 * Its ages and check-in countdown count from `now`, or, without it, from the board's TileClock
 * (whose ticks it takes only while on screen).
 */
export const SessionTile = memo(function SessionTile({
  view,
  now,
  variant = 'compact',
}: {
  view: TileView;
  now?: number;
  variant?: TileVariant;
}) {
  const top = view.topAlert;
  const detail = variant === 'detail';
  const ref = useRef<HTMLLIElement>(null);
  const board = useOnScreenClock(useContext(TileClock), ref, view.sessionId);
  const fixed = useFixedClock(now ?? 0);
  const tile = (
    <li
      ref={ref}
      className={`tile tile-${variant}${top ? ` tile-${top.priority}` : ''}${view.ended ? ' tile-ended-session' : ''}`}
      data-testid="tile"
      data-session-id={view.sessionId}
      aria-labelledby={`tile-${view.sessionId}`}
    >
      {/*
        The tile's lines sit in a box of their own: the li is an item of the board's grid, and
        Chromium never lays out a grid item apart from its grid, however contained, so a value
        changed in one tile laid out the whole document. A block inside it, with its size and
        layout contained, is a relayout boundary: the per-second ages lay out only that box.
      */}
      <div className="tile-body">
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
            {view.minutesSinceDose !== null && !view.ended && (
              <>
                {` · ${view.minutesSinceDose} min`}
                <span className={detail ? undefined : 'visually-hidden'}> since dose</span>
              </>
            )}
          </span>
        </div>
        <TopAlertLine view={view} />
        {detail && view.patientMessageAt && (
          <p className="tile-message" data-testid="tile-message">
            <span aria-hidden="true">✉ </span>
            Message from the patient at {formatClock(view.patientMessageAt)}, not answered yet
          </p>
        )}
        {detail && <InfoLines alerts={view.infoAlerts} />}
        {detail && <OverridesLine view={view} />}
        <dl className={`vitals vitals-${view.vitals.length + (detail || view.ended ? 0 : 1)}`}>
          {view.vitals.map((v) => (
            <Vital key={v.key} v={v} loading={view.loading} compact={!detail} />
          ))}
          {!detail && !view.ended && (
            <div className="vital news2-cell">
              {/* A dl holds only dt/dd groups (axe definition-list, serious). */}
              <dt className="visually-hidden">Early warning score</dt>
              <dd>
                {view.loading ? (
                  <span className="news2 news2-none" data-testid="news2">
                    <span className="news2-label">NEWS2</span> <strong>–</strong>
                  </span>
                ) : (
                  <News2Line news2={view.news2} detail={false} />
                )}
              </dd>
            </div>
          )}
        </dl>
        {view.ended ? (
          <EndedLine view={view} />
        ) : view.loading ? (
          // Until the session's events arrive, a due time or "no heartbeat" would be a guess.
          <p className="checkin muted" data-testid="tile-loading" role="status">
            Loading check-ins and phone state…
          </p>
        ) : (
          <>
            <CheckInLine view={view} detail={detail} />
            <p className="tile-foot">
              <Device view={view} detail={detail} />
              {!detail && <MessageMark at={view.patientMessageAt} />}
              {detail && <News2Line news2={view.news2} detail />}
            </p>
          </>
        )}
        {!detail && <NotesLine view={view} />}
      </div>
    </li>
  );
  return <TileClock value={now === undefined ? board : fixed}>{tile}</TileClock>;
});
