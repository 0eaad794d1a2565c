import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import type { Role } from '@vigil/contracts';
import { LoginPage } from '../features/auth/LoginPage';
import { live } from '../realtime/live-connection';
import { useAuth } from '../auth/useAuth';
import { AppShell } from './AppShell';

/*
 * One chunk per audience, loaded when its first page opens: a patient's phone does not download
 * recharts, the board or the supervisor pages before its own screen, and a clinician's board does
 * not wait for the supervisor's. The service worker precaches only what the phone's app needs
 * (the entry and src/patient's chunk; see vite.config.ts), so an offline reload finds it.
 */
const named = <K extends string, T extends React.ComponentType>(
  load: () => Promise<Record<K, T>>,
  name: K,
) => lazy(async () => ({ default: (await load())[name] }));
const PatientRoute = named(() => import('../patient/PatientRoute'), 'PatientRoute');
const ClinicianWorkspace = named(
  () => import('../features/workspace/ClinicianWorkspace'),
  'ClinicianWorkspace',
);
const BoardPage = named(() => import('../features/board/BoardPage'), 'BoardPage');
const SessionPage = named(() => import('../features/session/SessionPage'), 'SessionPage');
const supervisor = () => import('./supervisor-pages');
const SupervisorLayout = named(supervisor, 'SupervisorLayout');
const HistoryPage = named(supervisor, 'HistoryPage');
const ReplayPage = named(supervisor, 'ReplayPage');
const ReportPage = named(supervisor, 'ReportPage');
const EscalationInboxPage = named(supervisor, 'EscalationInboxPage');
const AlertFiguresPage = named(supervisor, 'AlertFiguresPage');
const AuditLogPage = named(supervisor, 'AuditLogPage');
const SchedulePage = named(supervisor, 'SchedulePage');

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true, staleTime: 5_000 } },
});

export function homeFor(role: Role): string {
  if (role === 'patient') return '/patient';
  if (role === 'supervisor') return '/supervisor';
  return '/board';
}

function Authenticated({ children, roles }: { children: React.ReactNode; roles: Role[] }) {
  const auth = useAuth();
  if (!auth) return <Navigate to="/login" replace />;
  if (!roles.includes(auth.user.role)) return <Navigate to={homeFor(auth.user.role)} replace />;
  return <AppShell>{children}</AppShell>;
}

export function App() {
  const auth = useAuth();
  useEffect(() => {
    if (auth) live.connect();
    else live.disconnect();
  }, [auth]);

  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Routes>
            <Route
              path="/login"
              element={auth ? <Navigate to={homeFor(auth.user.role)} replace /> : <LoginPage />}
            />
            <Route
              element={
                <Authenticated roles={['clinician', 'supervisor']}>
                  <ClinicianWorkspace />
                </Authenticated>
              }
            >
              <Route path="/board" element={<BoardPage />} />
              <Route path="/sessions/:id" element={<SessionPage />} />
            </Route>
            <Route path="/patient" element={<PatientRoute />} />
            {/* Supervisors reach the live board at /board (above); /supervisor is their history. */}
            <Route
              path="/supervisor"
              element={
                <Authenticated roles={['supervisor']}>
                  <SupervisorLayout />
                </Authenticated>
              }
            >
              <Route index element={<HistoryPage />} />
              <Route path="sessions/:id" element={<ReplayPage />} />
              <Route path="sessions/:id/report" element={<ReportPage />} />
              <Route path="escalations" element={<EscalationInboxPage />} />
              <Route path="alerts" element={<AlertFiguresPage />} />
              <Route path="audit" element={<AuditLogPage />} />
              <Route path="schedule" element={<SchedulePage />} />
            </Route>
            <Route
              path="*"
              element={<Navigate to={auth ? homeFor(auth.user.role) : '/login'} replace />}
            />
          </Routes>
        </Suspense>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
