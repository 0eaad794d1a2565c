import { useId, useState, type FormEvent } from 'react';
import { api } from '../../shared/api';
import { ErrorText } from '../../shared/components/ErrorText';

export interface ComposeFormProps {
  /** e.g. `/api/sessions/s1/notes`; the body is `{ clientId, text }`. */
  path: string;
  label: string;
  submitLabel: string;
  maxLength: number;
}

/**
 * A text box that posts `{ clientId, text }` once. The clientId is kept for a retry of the same
 * text, so a send whose answer was lost is recognised by the server and not recorded twice.
 */
export function ComposeForm({ path, label, submitLabel, maxLength }: ComposeFormProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<{ clientId: string; text: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value || sending) return;
    const clientId = pending?.text === value ? pending.clientId : crypto.randomUUID();
    setPending({ clientId, text: value });
    setSending(true);
    setError(null);
    try {
      await api('POST', path, { clientId, text: value });
      setText('');
      setPending(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="compose" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        value={text}
        maxLength={maxLength}
        rows={3}
        onChange={(e) => setText(e.target.value)}
      />
      <ErrorText error={error} className="banner banner-error" />
      <button type="submit" disabled={sending || text.trim() === ''}>
        {sending ? 'Sending…' : submitLabel}
      </button>
    </form>
  );
}
