import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Link } from 'react-router';
import { live } from '../../realtime/live-connection';
import { useNow } from '../../shared/useNow';
import { AlertBadge } from '../alerts/AlertBadge';
import { SessionStore, type EventSource } from '../../read-model/session-store';
import { formatAge, formatClock } from '../../read-model/staleness';
import { useLiveSessions } from '../workspace/useLiveSessions';
import { escalationInbox } from './escalation-inbox';
import { LoadError } from '../../shared/components/LoadError';
import { TableHead } from '../../shared/components/TableHead';

/**
 * The supervisor's live escalation inbox: every alert escalated to them and still not
 * acknowledged, who was paged, how long it has waited, and one click to the session. Fed by the
 * live sessions' event logs (the alert events a supervisor may read), so it updates as they come.
 */
export function EscalationInboxPage({ source = live }: { source?: EventSource }) {
  const [store] = useState(() => new SessionStore(source));
  useEffect(() => () => store.dispose(), [store]);
  const list = useLiveSessions();
  const sessions = useMemo(() => list.data ?? [], [list.data]);
  useEffect(() => store.track(sessions.map((s) => s.id)), [store, sessions]);
  const models = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const now = useNow();
  const items = escalationInbox(models, sessions, now);

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">Escalations</h1>
      <p className="muted">
        Alerts escalated to the supervisors and not yet acknowledged, across {sessions.length} live
        session{sessions.length === 1 ? '' : 's'}. Updated live.
      </p>
      <LoadError query={list} what="the live sessions" />
      <p className="visually-hidden" role="status">
        {items.length === 0 ? 'No open escalations.' : `${items.length} open escalations.`}
      </p>
      {items.length === 0 ? (
        <p className="sv-inbox-empty" data-testid="inbox-empty">
          No open escalations.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="sv-table sv-inbox">
            <caption className="visually-hidden">Open escalations, most urgent first</caption>
            <TableHead columns={['Patient', 'Alert', 'Paged', 'Unacknowledged for', 'Session']} />
            <tbody>
              {items.map((i) => (
                <tr
                  key={i.alertId}
                  data-testid="inbox-row"
                  data-alert-id={i.alertId}
                  className={`sv-inbox-${i.priority}`}
                >
                  <th scope="row">{i.patientName}</th>
                  <td>
                    <AlertBadge priority={i.priority} /> {i.message}
                  </td>
                  <td>
                    {i.clinicianName}, then the supervisors
                    <span className="muted">
                      {' '}
                      (escalated {i.escalationCount === 1 ? 'once' : `${i.escalationCount} times`})
                    </span>
                  </td>
                  <td>
                    <strong>{formatAge(i.unacknowledgedMs)}</strong>
                    <span className="muted"> since {formatClock(i.since)}</span>
                  </td>
                  <td>
                    <Link to={`/sessions/${i.sessionId}`} className="primary sv-inbox-open">
                      Open {i.patientName}’s session
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
