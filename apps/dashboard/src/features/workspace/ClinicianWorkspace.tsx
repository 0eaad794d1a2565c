import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Outlet, useMatch, useNavigate } from 'react-router';
import './workspace.css';
import { live } from '../../realtime/live-connection';
import { useAuth } from '../../auth/useAuth';
import { serverNow } from '../../clock/server-clock';
import { useNow } from '../../shared/useNow';
import { AlarmControls } from '../alerts/AlarmControls';
import { AlertAnnouncer } from '../alerts/AlertAnnouncer';
import { AlarmSound } from '../alerts/alarm-sound';
import { AlertStrip } from '../alerts/AlertStrip';
import { alarmLevel, countAlerts } from '../alerts/alert-logic';
import { SoundPauseControl } from '../alerts/SoundPauseControl';
import { startSoundPause, type SoundPause } from '../alerts/sound-pause';
import { useAnnunciation } from '../alerts/useAnnunciation';
import { useSessionAlerts } from '../alerts/useSessionAlerts';
import { LockScreen } from '../lock/LockScreen';
import { unlockWithPassword } from '../lock/unlock';
import { useIdleLock } from '../lock/useIdleLock';
import { ClockSkewNotice } from './ClockSkewNotice';
import { ConnectionLostBanner } from './ConnectionLostBanner';
import { nextFrame, SessionStore } from '../../read-model/session-store';
import { useLiveSessions } from './useLiveSessions';
import { WorkspaceContext, type Workspace } from './useWorkspace';

const NO_NAMES: ReadonlyMap<string, string> = new Map();

/**
 * Everything a clinician's screens share, mounted once above the board and the session view:
 * the watched sessions, the alarms (which keep sounding on every page and while locked) and
 * the idle lock.
 */
export function ClinicianWorkspace({ children }: { children?: ReactNode }) {
  const [store] = useState(() => new SessionStore(live, nextFrame));
  const [sound] = useState(() => new AlarmSound());
  useEffect(() => () => store.dispose(), [store]);

  const list = useLiveSessions();
  const sessions = useMemo(() => list.data ?? [], [list.data]);
  useEffect(() => store.track(sessions.map((s) => s.id)), [store, sessions]);

  const models = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const alerts = useSessionAlerts(models);
  const now = useNow();
  const navigate = useNavigate();
  const [pause, setPause] = useState<SoundPause | null>(null);
  useAnnunciation(
    alerts,
    now,
    sound,
    (id) => void navigate(`/sessions/${id}`),
    pause,
    () => setPause(null),
  );

  const idle = useIdleLock();
  const auth = useAuth();
  const sessionMatch = useMatch('/sessions/:id');
  const names = useMemo(
    () => new Map(sessions.map((s) => [s.id, s.patient.name] as const)),
    [sessions],
  );

  const listError = list.isError ? list.error.message : null;
  // The same object while nothing in it changes: the workspace renders on every frame of live
  // events and every second, and a new context value makes React visit every reader of it.
  const workspace = useMemo<Workspace>(
    () => ({
      store,
      sessions,
      listError,
      listLoading: list.isPending,
      lockNow: idle.lock,
    }),
    [store, sessions, listError, list.isPending, idle.lock],
  );

  return (
    <WorkspaceContext.Provider value={workspace}>
      <ConnectionLostBanner />
      <ClockSkewNotice />
      {/* Locked, the screen names no patient, and neither may what it says to a screen reader:
          a new announcer (no earlier sentence kept) says "a patient" until unlock. */}
      <AlertAnnouncer
        key={idle.locked ? 'locked' : 'open'}
        alerts={alerts}
        names={idle.locked ? NO_NAMES : names}
      />
      <div className="workspace-bar">
        <AlarmControls sound={sound} />
        <SoundPauseControl
          pause={pause}
          now={now}
          onPause={() =>
            setPause(
              startSoundPause(
                serverNow(),
                alarmLevel(
                  alerts.map((a) => a.alert),
                  serverNow(),
                ),
              ),
            )
          }
          onResume={() => setPause(null)}
        />
        {!idle.locked && (
          <button type="button" className="secondary lock-button" onClick={idle.lock}>
            Lock screen
          </button>
        )}
      </div>
      {idle.locked ? (
        <LockScreen
          counts={countAlerts(alerts.map((a) => a.alert))}
          userName={auth?.user.name ?? ''}
          email={auth?.email}
          onUnlock={async (email, password) => {
            await unlockWithPassword(email, password);
            idle.unlocked();
          }}
        />
      ) : (
        <>
          {sessionMatch && (
            <AlertStrip alerts={alerts} names={names} exceptSessionId={sessionMatch.params.id} />
          )}
          {children ?? <Outlet />}
        </>
      )}
    </WorkspaceContext.Provider>
  );
}
