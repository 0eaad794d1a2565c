import { useRef, useState, type FormEvent } from 'react';
import type { AlertRecord } from '../../read-model/session-model';
import { formatAge, formatClock } from '../../read-model/staleness';
import { AlertBadge } from './AlertBadge';
import { isSilenced, PRIORITY_LABEL } from './alert-logic';
import type { AlertsApi } from './alerts-api';
import { focusNextAlert } from './focus-next-alert';
import { formatCountdown } from './sound-pause';
import { ErrorText } from '../../shared/components/ErrorText';

function who(by: string | null, me: string): string {
  if (!by) return 'automatically';
  return by === me ? 'by you' : 'by a colleague';
}

/** Why an alert already seen is back in front of the clinician: reopened, or more urgent. */
function AlertNews({ alert }: { alert: AlertRecord }) {
  if (alert.status !== 'open' || (!alert.reopenedAt && !alert.raisedFrom)) return null;
  return (
    <p className="alert-news" data-testid="alert-news">
      <span aria-hidden="true">↻ </span>
      {alert.raisedFrom && `Priority raised from ${PRIORITY_LABEL[alert.raisedFrom].toLowerCase()}`}
      {alert.raisedFrom && alert.reopenedAt && ' · '}
      {alert.reopenedAt && `Reopened ${formatClock(alert.reopenedAt)}`}
    </p>
  );
}

interface Props {
  alert: AlertRecord;
  now: number;
  userId: string;
  api: AlertsApi;
}

/** One unresolved alert and what the clinician can do about it. */
export function AlertItem({ alert, now, userId, api }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [resolving, setResolving] = useState(false);
  const [note, setNote] = useState('');
  const silenced = isSilenced(alert, now);
  // Low and informational alerts never sound: nothing to silence.
  const sounds = alert.priority === 'high' || alert.priority === 'medium';
  const noteId = `resolve-note-${alert.id}`;
  const item = useRef<HTMLLIElement>(null);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const acknowledge = async () => {
    if ((await run(() => api.acknowledge(alert.id))) && item.current) focusNextAlert(item.current);
  };

  const submitResolve = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => api.resolve(alert.id, note.trim()))) setResolving(false);
  };

  return (
    <li
      ref={item}
      className={`alert-item alert-row-${alert.priority} alert-status-${alert.status}`}
      data-testid="alert-item"
      data-alert-id={alert.id}
      data-alert-status={alert.status}
    >
      <div className="alert-item-head">
        <AlertBadge priority={alert.priority} />{' '}
        <strong className="alert-message">{alert.message}</strong>
        {alert.count !== null && alert.count > 1 && (
          <span className="alert-count" data-testid="alert-count">
            {' '}
            ×{alert.count}
          </span>
        )}
      </div>
      <AlertNews alert={alert} />
      <p className="alert-meta">
        Raised {formatClock(alert.raisedAt)} (
        {formatAge(Math.max(0, now - Date.parse(alert.raisedAt)))} ago) ·{' '}
        {alert.status === 'acknowledged' && alert.acknowledgedAt ? (
          <span data-testid="alert-status">
            Acknowledged {who(alert.acknowledgedBy, userId)} at {formatClock(alert.acknowledgedAt)}
          </span>
        ) : (
          <strong data-testid="alert-status">Unacknowledged</strong>
        )}
        {alert.escalationCount > 0 && ` · escalated to supervisor ×${alert.escalationCount}`}
      </p>
      {silenced && alert.silencedUntil && (
        <p className="alert-silenced" role="timer" data-testid="silence-countdown">
          <span aria-hidden="true">◷ </span>Silenced, sound returns in{' '}
          {formatCountdown(Date.parse(alert.silencedUntil) - now)}
        </p>
      )}
      {resolving ? (
        <form className="resolve-form" onSubmit={(e) => void submitResolve(e)}>
          <label htmlFor={noteId}>What was done (required)</label>
          <textarea
            id={noteId}
            value={note}
            maxLength={2000}
            rows={2}
            onChange={(e) => setNote(e.target.value)}
            required
            // eslint-disable-next-line jsx-a11y/no-autofocus -- the note field opens on the user's Resolve click: focus follows it
            autoFocus
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || !note.trim()}>
              Resolve alert
            </button>
            <button type="button" className="secondary" onClick={() => setResolving(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          {alert.status === 'open' && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void acknowledge()}
            >
              Acknowledge
            </button>
          )}
          {!silenced && sounds && (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void run(() => api.silence(alert.id, 2))}
            >
              Silence 2 min
            </button>
          )}
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => setResolving(true)}
          >
            Resolve…
          </button>
        </div>
      )}
      <ErrorText error={error} />
    </li>
  );
}
