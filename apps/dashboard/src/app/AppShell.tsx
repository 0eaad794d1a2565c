import { MAIN_ID } from '../shared/a11y/focus-main-heading';
import { SkipLink } from '../shared/a11y/SkipLink';
import { useFocusMainHeading } from '../shared/a11y/useFocusMainHeading';
import { ConnectionIndicator } from '../shared/components/ConnectionIndicator';
import { authStore } from '../auth/auth-store';
import { useAuth } from '../auth/useAuth';

export function AppShell({ children }: { children: React.ReactNode }) {
  const auth = useAuth();
  useFocusMainHeading();
  return (
    <div className="shell">
      <SkipLink />
      <header className="shell-header">
        <span className="brand">Vigil</span>
        <ConnectionIndicator />
        <span className="shell-user">
          {auth?.user.name} ({auth?.user.role})
          <button type="button" className="link-button" onClick={() => void authStore.logout()}>
            Log out
          </button>
        </span>
      </header>
      <main className="shell-main" id={MAIN_ID} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
