import { useState, type FormEvent } from 'react';
import { AlertBadge } from '../alerts/AlertBadge';
import type { AlertCounts } from '../alerts/alert-logic';
import { authStore } from '../../auth/auth-store';

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
  const [typedEmail, setTypedEmail] = useState(email ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onUnlock(typedEmail, password);
    } catch (err) {
      setError((err as Error).message);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

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
      <form className="lock-form" onSubmit={(e) => void submit(e)}>
        <p>
          The screen locks after 15 minutes without activity. {userName}, enter your password to
          continue.
        </p>
        {!email && (
          <label>
            Email
            <input
              type="email"
              autoComplete="username"
              value={typedEmail}
              onChange={(e) => setTypedEmail(e.target.value)}
              required
            />
          </label>
        )}
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            // eslint-disable-next-line jsx-a11y/no-autofocus -- the lock screen replaces the app: its one field takes the focus
            autoFocus
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
          <button type="button" className="link-button" onClick={() => void authStore.logout()}>
            Sign out
          </button>
        </div>
      </form>
    </section>
  );
}
