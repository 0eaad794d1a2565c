import './supervisor.css';
import { NavLink, Outlet } from 'react-router';

/** The supervisor's pages: history and replay, live escalations, alert response, audit log; the live board is a link away. */
export function SupervisorLayout() {
  const tab = ({ isActive }: { isActive: boolean }) =>
    isActive ? 'sv-tab sv-tab-active' : 'sv-tab';
  return (
    <div className="sv">
      <nav className="sv-tabs no-print" aria-label="Supervisor">
        <NavLink to="/supervisor" end className={tab}>
          Session history
        </NavLink>
        <NavLink to="/supervisor/escalations" className={tab}>
          Escalations
        </NavLink>
        <NavLink to="/supervisor/alerts" className={tab}>
          Alert response
        </NavLink>
        <NavLink to="/supervisor/audit" className={tab}>
          Audit log
        </NavLink>
        <NavLink to="/supervisor/schedule" className={tab}>
          Schedule a session
        </NavLink>
        <NavLink to="/board" className="sv-tab sv-tab-live">
          Live board →
        </NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
