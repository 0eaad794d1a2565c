import { useState, type FormEvent } from 'react';

export interface Credentials {
  email: string;
  setEmail: (email: string) => void;
  password: string;
  setPassword: (password: string) => void;
  /** The refusal in words (wrong password, locked out, no connection), or null. */
  error: string | null;
  busy: boolean;
  onSubmit: (e: FormEvent) => void;
}

/**
 * An email-and-password form's state (signing in, unlocking): what is typed, whether it is
 * being checked, and the refusal. `send` rejects with the message to show.
 */
export function useCredentials(
  send: (email: string, password: string) => Promise<unknown>,
  { email: knownEmail = '', clearPasswordOnError = false } = {},
): Credentials {
  const [email, setEmail] = useState(knownEmail);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await send(email, password);
    } catch (err) {
      setError((err as Error).message);
      if (clearPasswordOnError) setPassword('');
    } finally {
      setBusy(false);
    }
  };
  const onSubmit = (e: FormEvent) => void submit(e);
  return { email, setEmail, password, setPassword, error, busy, onSubmit };
}

interface CredentialFieldsProps {
  credentials: Credentials;
  /** False when the account is known (the lock screen): only the password is asked. */
  askEmail?: boolean;
  /** The lock screen replaces the app: its one field takes the focus. */
  focusPassword?: boolean;
}

/** The email and password fields and the refusal, as the login page and lock screen show them. */
export function CredentialFields({
  credentials: c,
  askEmail = true,
  focusPassword = false,
}: CredentialFieldsProps) {
  return (
    <>
      {askEmail && (
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            value={c.email}
            onChange={(e) => c.setEmail(e.target.value)}
            required
          />
        </label>
      )}
      <label>
        Password
        <input
          type="password"
          autoComplete="current-password"
          value={c.password}
          onChange={(e) => c.setPassword(e.target.value)}
          required
          // eslint-disable-next-line jsx-a11y/no-autofocus -- only on the lock screen, whose one field this is
          autoFocus={focusPassword}
        />
      </label>
      {c.error && (
        <p role="alert" className="error">
          {c.error}
        </p>
      )}
    </>
  );
}
