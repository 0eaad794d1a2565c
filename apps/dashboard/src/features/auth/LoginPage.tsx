import { CredentialFields, useCredentials } from '../../auth/CredentialFields';
import { authStore } from '../../auth/auth-store';

export function LoginPage() {
  const credentials = useCredentials((email, password) => authStore.login(email, password));

  return (
    <main className="login">
      <form className="login-card" onSubmit={credentials.onSubmit} aria-labelledby="login-title">
        <h1 id="login-title">Vigil</h1>
        <p className="muted">Supervised home ketamine sessions</p>
        <CredentialFields credentials={credentials} />
        <button type="submit" className="primary" disabled={credentials.busy}>
          {credentials.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
