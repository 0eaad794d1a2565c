import { CredentialFields, useCredentials } from '../../auth/CredentialFields';
import { authStore } from '../../auth/auth-store';
import { rememberedCareTeamPhone } from '../../shared/care-team-phone';
import { EMERGENCY_NUMBERS } from '../../shared/emergency-numbers';
import { telHref } from '../../shared/tel';

export function LoginPage() {
  const credentials = useCredentials((email, password) => authStore.login(email, password));
  // Only on a phone that has shown a patient's session (see care-team-phone.ts).
  const careTeamPhone = rememberedCareTeamPhone();

  return (
    <main className="login">
      <form className="login-card" onSubmit={credentials.onSubmit} aria-labelledby="login-title">
        <h1 id="login-title">Vigil</h1>
        <p className="muted">Supervised home ketamine sessions</p>
        <CredentialFields credentials={credentials} />
        <button type="submit" className="primary" disabled={credentials.busy}>
          {credentials.busy ? 'Signing in…' : 'Sign in'}
        </button>
        {careTeamPhone && (
          <section className="login-help" aria-labelledby="login-help-title">
            <h2 id="login-help-title">Need help now?</h2>
            <p>
              Call your care team:{' '}
              <a
                href={telHref(careTeamPhone)}
                aria-label={`Call your care team on ${careTeamPhone}`}
              >
                <strong>{careTeamPhone}</strong>
              </a>
            </p>
            <p>
              In an emergency call{' '}
              {EMERGENCY_NUMBERS.map(([n], i) => (
                <span key={n}>
                  {i > 0 && ' / '}
                  <a href={`tel:${n}`}>{n}</a>
                </span>
              ))}
              .
            </p>
          </section>
        )}
      </form>
    </main>
  );
}
