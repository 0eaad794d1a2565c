import { AlertBadge } from '../alerts/AlertBadge';
import type { AlertCounts } from '../alerts/alert-logic';
import { authStore } from '../../auth/auth-store';
import { CredentialFields, useCredentials } from '../../auth/CredentialFields';

interface Props {
  counts: AlertCounts;
  userName: string;
  email: string | undefined;
  onUnlock: (email: string, password: string) => Promise<void>;
}

/**
 * Shown instead of the workspace after 15 idle minutes: no patient data, but whether alerts
 * are open (and the alarm keeps sounding behind it).
 */
export function LockScreen({ counts, userName, email, onUnlock }: Props) {
  const credentials = useCredentials(onUnlock, { email, clearPasswordOnError: true });

  return (
    <section className="lock" aria-labelledby="lock-title" data-testid="lock-screen">
      <h1 id="lock-title">Vigil is locked</h1>
      <div
        className={`lock-alerts${counts.total > 0 ? ' lock-alerts-open' : ''}`}
        role="status"
        aria-live="assertive"
        data-testid="lock-alerts"
      >
        {counts.total === 0 ? (
          <p>No open alerts.</p>
        ) : (
          <>
            <p className="lock-alert-count">
              {counts.total} open alert{counts.total === 1 ? '' : 's'}
              {counts.unacknowledged > 0 && `, ${counts.unacknowledged} unacknowledged`}
            </p>
            <p>
              {(['high', 'medium', 'low'] as const)
                .filter((p) => counts.byPriority[p] > 0)
                .map((p) => (
                  <span key={p} className="lock-priority">
                    <AlertBadge priority={p} /> ×{counts.byPriority[p]}
                  </span>
                ))}
            </p>
            <p>Unlock to see which patient and respond.</p>
          </>
        )}
      </div>
      <form className="lock-form" onSubmit={credentials.onSubmit}>
        <p>
          The screen locks after 15 minutes without activity. {userName}, enter your password to
          continue.
        </p>
        <CredentialFields credentials={credentials} askEmail={!email} focusPassword />
        <div className="actions">
          <button type="submit" className="primary" disabled={credentials.busy}>
            {credentials.busy ? 'Unlocking…' : 'Unlock'}
          </button>
          <button type="button" className="link-button" onClick={() => void authStore.logout()}>
            Sign out
          </button>
        </div>
      </form>
    </section>
  );
}
