import { Navigate } from 'react-router';
import { useAuth } from '../auth/useAuth';
import { PatientPage } from './PatientPage';

/**
 * The /patient route. The phone app has its own calm layout instead of the clinicians' shell,
 * so it guards itself: anyone else goes back to their own home page.
 */
export function PatientRoute() {
  const auth = useAuth();
  if (!auth) return <Navigate to="/login" replace />;
  if (auth.user.role !== 'patient') return <Navigate to="/" replace />;
  return <PatientPage userId={auth.user.id} name={auth.user.name} />;
}
