import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import type { Role } from '@vigil/contracts';
import { LoginPage } from '../features/auth/LoginPage';
import { BoardPage } from '../features/board/BoardPage';
import { PatientRoute } from '../features/patient/PatientRoute';
import { SessionPage } from '../features/session/SessionPage';
import { AlertFiguresPage } from '../features/supervisor/AlertFiguresPage';
import { AuditLogPage } from '../features/supervisor/AuditLogPage';
import { EscalationInboxPage } from '../features/supervisor/EscalationInboxPage';
import { HistoryPage } from '../features/supervisor/HistoryPage';
import { ReplayPage } from '../features/supervisor/ReplayPage';
import { ReportPage } from '../features/supervisor/ReportPage';
import { SchedulePage } from '../features/supervisor/SchedulePage';
import { SupervisorLayout } from '../features/supervisor/SupervisorLayout';
import { ClinicianWorkspace } from '../features/workspace/ClinicianWorkspace';
import { live } from '../realtime/live-connection';
import { useAuth } from '../shared/useAuth';
import { AppShell } from './AppShell';

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
      </BrowserRouter>
    </QueryClientProvider>
  );
}
