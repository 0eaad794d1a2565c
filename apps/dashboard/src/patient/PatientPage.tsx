import { useEffect, useState } from 'react';
import { MAIN_ID } from '../shared/a11y/focus-main-heading';
import { rememberedCareTeamPhone } from '../shared/care-team-phone';
import { SkipLink } from '../shared/a11y/SkipLink';
import { useFocusMainHeading } from '../shared/a11y/useFocusMainHeading';
import { EndScreen } from './components/EndScreen';
import { NotReachedNotice } from './components/NotReachedNotice';
import { GateScreen } from './components/GateScreen';
import { DoseForm } from './components/DoseForm';
import { HelpButton } from './components/HelpButton';
import { MonitoringScreen } from './components/MonitoringScreen';
import { OutboxList } from './components/OutboxList';
import { PatientHeader } from './components/PatientHeader';
import { SavedNotSent } from './components/SavedNotSent';
import { ScreeningForm } from './components/ScreeningForm';
import { SyncStatus } from './components/SyncStatus';
import { useOutbox } from './hooks/useOutbox';
import { usePatientSession } from './hooks/usePatientSession';
import { usePresenceHeartbeat } from './hooks/usePresenceHeartbeat';
import { patientOutbox } from './outbox/patient-outbox';
import { currentState, patientPhase, type PatientPhase } from './session-phase';
import './patient.css';

const LIVE = ['screening', 'ready', 'dosed', 'monitoring', 'recovery'];

/** The patient's phone: one screen at a time, the help button and the send status always. */
export function PatientPage({ userId, name }: { userId: string; name: string }) {
  useEffect(() => {
    void patientOutbox.open(userId);
    return () => patientOutbox.close();
  }, [userId]);
  const { session, events, loading, stale } = usePatientSession(userId);
  const allItems = useOutbox();
  const [ui, setUi] = useState({ retakeScreening: false, cautionAccepted: false });
  const phase = patientPhase(session, events, allItems, ui);
  const items = session ? allItems.filter((i) => i.sessionId === session.id) : [];
  const state = session ? currentState(session, events).state : null;
  usePresenceHeartbeat(session?.id, state !== null && LIVE.includes(state));
  const waiting = allItems.filter((i) => i.status === 'pending' && i.kind !== 'transition').length;
  // With no session on the phone (none today, or not loaded yet offline) the help screen and a
  // refusal still say "call them": the number this phone last showed is the clinic's.
  const careTeamPhone = session ? (session.careTeamPhone ?? null) : rememberedCareTeamPhone();

  useFocusMainHeading();

  return (
    <div className="pt-app">
      <SkipLink />
      <PatientHeader name={name} waiting={waiting} />
      <SyncStatus items={allItems} />
      <main className="pt-main" id={MAIN_ID} tabIndex={-1}>
        <h1 className="visually-hidden">Your session with Vigil</h1>
        {stale && (
          <p className="pt-notice pt-notice-warn" role="status">
            Cannot reach your care team right now. What you enter is saved on this phone.
          </p>
        )}
        <NotReachedNotice items={allItems} careTeamPhone={careTeamPhone} />
        {loading ? (
          <p className="pt-lead">Loading your session…</p>
        ) : (
          <PhaseScreen
            phase={phase}
            userId={userId}
            sessionId={session?.id ?? ''}
            events={events}
            items={items}
            setUi={(patch) => setUi((u) => ({ ...u, ...patch }))}
          />
        )}
        {phase.kind !== 'monitoring' && <OutboxList items={items} />}
      </main>
      <HelpButton
        sessionId={session && state && !['ended', 'aborted'].includes(state) ? session.id : null}
        careTeamPhone={careTeamPhone}
      />
    </div>
  );
}

function PhaseScreen({
  phase,
  userId,
  sessionId,
  events,
  items,
  setUi,
}: {
  phase: PatientPhase;
  userId: string;
  sessionId: string;
  events: Parameters<typeof MonitoringScreen>[0]['events'];
  items: Parameters<typeof MonitoringScreen>[0]['items'];
  setUi: (patch: Partial<{ retakeScreening: boolean; cautionAccepted: boolean }>) => void;
}) {
  switch (phase.kind) {
    case 'none':
      return (
        <section className="pt-stack">
          <h2>No session today</h2>
          <p className="pt-lead">
            Your care team will schedule your next session. It will show here on the day.
          </p>
        </section>
      );
    case 'screening':
      return (
        <ScreeningForm
          userId={userId}
          sessionId={sessionId}
          gate={phase.gate}
          refused={phase.refused}
          onSaved={() => setUi({ retakeScreening: false })}
        />
      );
    case 'screening-saved':
      return <SavedNotSent what="Your answers are" />;
    case 'gate':
      return (
        <GateScreen
          gate={phase.gate}
          refused={phase.refused}
          onRetake={() => setUi({ retakeScreening: true })}
          onCautionAccepted={() => setUi({ cautionAccepted: true })}
        />
      );
    case 'dose':
      return (
        <DoseForm
          sessionId={sessionId}
          gate={phase.gate}
          overridden={phase.overridden}
          refused={phase.refused}
        />
      );
    case 'monitoring':
      return (
        <MonitoringScreen
          sessionId={sessionId}
          state={phase.state}
          dosedAt={phase.dosedAt}
          route={phase.route}
          doseSaved={phase.doseSaved}
          events={events}
          items={items}
        />
      );
    case 'ended':
      return <EndScreen aborted={false} reason={null} />;
    case 'aborted':
      return <EndScreen aborted reason={phase.reason} />;
  }
}
