import { ConnectionIndicator } from '../shared/components/ConnectionIndicator';
import { authStore } from '../shared/auth-store';
import { useAuth } from '../shared/useAuth';

export function AppShell({ children }: { children: React.ReactNode }) {
  const auth = useAuth();
  return (
    <div className="shell">
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
      <main className="shell-main">{children}</main>
    </div>
  );
}
