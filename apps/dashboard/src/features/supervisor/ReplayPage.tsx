import '../session/session.css';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { SessionRecord } from '../session/SessionRecord';
import { MessagesPanel } from '../session/MessagesPanel';
import { NotesPanel } from '../session/NotesPanel';
import {
  overridesAsOf,
  overridesOf,
  protocolWithOverrides,
} from '../../read-model/overrides-in-force';
import { applyEvents, emptySessionModel, toProtocolChange } from '../../read-model/session-model';
import { FhirExportButton } from './FhirExportButton';
import { ReplayOverridesPanel } from './ReplayOverridesPanel';
import { describeEvent, eventsUpTo, timeRange } from './replay';
import { formatDateTime, supervisorApi } from './supervisor-api';

/**
 * A past session, event by event in seq order, with what the clinician had at any moment: the
 * trend charts drawn with the limits then in force, the messages and the notes.
 */
export function ReplayPage() {
  const { id = '' } = useParams();
  const session = useQuery({ queryKey: ['session', id], queryFn: () => supervisorApi.session(id) });
  const log = useQuery({
    queryKey: ['supervisor', 'events', id],
    queryFn: () => supervisorApi.allEvents(id),
  });
  const events = useMemo(() => log.data ?? [], [log.data]);
  const range = timeRange(events);
  const [cursor, setCursor] = useState<number | null>(null);
  const at = cursor ?? range?.end ?? 0;
  const shown = useMemo(() => eventsUpTo(events, at), [events, at]);
  const model = useMemo(() => applyEvents(emptySessionModel(), shown), [shown]);
  const changes = useMemo(
    () => events.flatMap((e) => (e.type === 'protocol.overridden' ? [toProtocolChange(e)] : [])),
    [events],
  );
  // As the clinician's page did: the patient's overrides applied, as they stood at the cursor.
  const inForce = useMemo(
    () => overridesAsOf(session.data ? overridesOf(session.data) : [], changes, model.lastSeq),
    [session.data, changes, model.lastSeq],
  );
  const route = model.dose?.route === 'sublingual' ? 'sublingual' : 'oral';
  const protocol = useMemo(() => protocolWithOverrides(route, inForce), [route, inForce]);

  if (session.isError || log.isError)
    return (
      <p role="alert" className="banner banner-error">
        Could not load this session: {(session.error ?? log.error)?.message}
      </p>
    );
  if (!session.data || !log.data) return <p>Loading the session’s record…</p>;
  const lastShown = shown.length ? shown[shown.length - 1].seq : 0;
  return (
    <section aria-labelledby="replay-title" className="sv-replay">
      <nav className="crumbs no-print" aria-label="Breadcrumb">
        <Link to="/supervisor">← Session history</Link> ·{' '}
        <Link to={`/supervisor/sessions/${id}/report`}>REMS report</Link>
      </nav>
      <h1 id="replay-title">
        Replay: {session.data.patient.name}, {formatDateTime(session.data.dosedAt)}
      </h1>
      <p className="muted">
        {session.data.clinician.name} · {session.data.state} · {events.length} events
      </p>
      <div className="sv-toolbar no-print">
        <FhirExportButton sessionId={id} />
      </div>
      {range && (
        <div className="sv-scrubber">
          <label htmlFor="replay-time">
            Replay time: <strong>{formatDateTime(new Date(at).toISOString())}</strong> (event{' '}
            {lastShown} of {events.length})
          </label>
          <input
            id="replay-time"
            type="range"
            min={range.start}
            max={range.end}
            step={1}
            value={at}
            onChange={(e) => setCursor(Number(e.target.value))}
          />
        </div>
      )}
      <div className="session-grid">
        <SessionRecord model={model} dosedAt={model.dosedAt} protocol={protocol} now={at} />
        <div className="session-side">
          <MessagesPanel sessionId={id} messages={model.messages} canSend={false} />
          <NotesPanel sessionId={id} notes={model.notes} canAdd={false} />
          <ReplayOverridesPanel route={route} inForce={inForce} changes={model.protocolChanges} />
          <h2>Event log</h2>
          <ol className="sv-events" aria-label="Events in seq order">
            {events.map((e) => (
              <li key={e.seq} className={e.seq <= lastShown ? 'sv-event-past' : 'sv-event-future'}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setCursor(Date.parse(e.at))}
                >
                  #{e.seq} {new Date(e.at).toLocaleTimeString('en-GB')}
                </button>{' '}
                <strong>{e.type}</strong> {describeEvent(e)}
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}
