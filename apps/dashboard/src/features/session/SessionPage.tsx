import { useQuery } from '@tanstack/react-query';
import './session.css';
import { useEffect, useMemo } from 'react';
import { Link, useParams } from 'react-router';
import type { SessionSummary } from '@vigil/contracts';
import { api } from '../../shared/api';
import { useAuth } from '../../auth/useAuth';
import { useNow } from '../../shared/useNow';
import { AlertsPanel } from '../alerts/AlertsPanel';
import { SessionDevices } from '../devices/SessionDevices';
import { SessionTile } from '../board/SessionTile';
import { tileView } from '../board/tile-view';
import { overridesOf, protocolWithOverrides } from '../../read-model/overrides-in-force';
import { useSessionModels, useWorkspace } from '../workspace/useWorkspace';
import { OverridesPanel } from './OverridesPanel';
import { MessagesPanel } from './MessagesPanel';
import { NotesPanel } from './NotesPanel';
import { ProtocolChecklist } from './ProtocolChecklist';
import { SessionContactsLine } from './SessionContactsLine';
import { SessionRecord } from './SessionRecord';

/** One session in depth: trends, alerts to act on, the protocol checklist and the check-ins. */
export function SessionPage() {
  const { id = '' } = useParams();
  const { store } = useWorkspace();
  const auth = useAuth();
  const now = useNow();
  useEffect(() => store.pin(id), [store, id]);
  const models = useSessionModels();
  const model = models.get(id);
  const session = useQuery({
    queryKey: ['session', id],
    queryFn: () => api<SessionSummary>('GET', `/api/sessions/${id}`),
  });
  const overrides = useMemo(() => (session.data ? overridesOf(session.data) : []), [session.data]);
  const protocol = useMemo(
    () =>
      protocolWithOverrides(model?.dose?.route === 'sublingual' ? 'sublingual' : 'oral', overrides),
    [model?.dose?.route, overrides],
  );

  if (session.isPending) return <p>Loading session…</p>;
  if (session.isError)
    return (
      <p role="alert" className="banner banner-error">
        Could not load this session: {session.error.message}{' '}
        <Link to="/board">Back to the board</Link>
      </p>
    );
  const summary = session.data;
  const view = tileView(summary, model, now);
  return (
    <div className="session-page">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/board">← Live board</Link>
      </nav>
      <h1 className="session-title visually-hidden">{summary.patient.name}</h1>
      <ul className="board board-single" aria-label="Current status">
        <SessionTile view={view} now={now} variant="detail" />
      </ul>
      <SessionContactsLine sessionId={id} />
      {!model ? (
        <p>Loading the session’s events…</p>
      ) : (
        <div className="session-grid">
          <SessionRecord model={model} dosedAt={view.dosedAt} protocol={protocol} now={now} />
          <div className="session-side">
            <AlertsPanel
              alerts={Object.values(model.alerts)}
              now={now}
              userId={auth?.user.id ?? ''}
            />
            <ProtocolChecklist
              sessionId={id}
              model={model}
              state={view.state}
              dosedAt={view.dosedAt}
              protocol={protocol}
              protocolLabel={`${summary.protocol.name} v${summary.protocol.version}. Bands and checks use the ${protocol.route} limits${overrides.length > 0 ? ' with this patient’s overrides' : ''}.`}
              now={now}
            />
            <OverridesPanel
              patientId={summary.patient.id}
              sessionId={id}
              changes={model.protocolChanges}
              canEdit={auth?.user.role !== 'supervisor'}
            />
            <MessagesPanel
              sessionId={id}
              messages={model.messages}
              canSend={auth?.user.role !== 'supervisor'}
            />
            <NotesPanel sessionId={id} notes={model.notes} />
            {auth?.user.role !== 'patient' && (
              <SessionDevices
                sessionId={id}
                patientId={summary.patient.id}
                headSeq={summary.headSeq}
                now={now}
              />
            )}
          </div>
        </div>
      )}
    </div>
  );
}
