import { useState, type FormEvent } from 'react';
import { ReasonField } from './ReasonField';
import { ErrorText } from '../../shared/components/ErrorText';

interface Props {
  label: string;
  /** What the reason field asks for; a reason is required and audited. */
  prompt: string;
  danger?: boolean;
  run: (reason: string) => Promise<unknown>;
}

/** A session action that needs a written reason (override, abort): button, then a small form. */
export function ReasonAction({ label, prompt, danger, run }: Props) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await run(reason.trim());
      setOpen(false);
      setReason('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!open)
    return (
      <button
        type="button"
        className={danger ? 'danger' : 'secondary'}
        onClick={() => setOpen(true)}
      >
        {label}…
      </button>
    );
  return (
    <form className="reason-form" onSubmit={(e) => void submit(e)}>
      <ReasonField label={prompt} value={reason} onChange={setReason} focusOnOpen />
      <div className="actions">
        <button
          type="submit"
          className={danger ? 'danger' : 'primary'}
          disabled={busy || !reason.trim()}
        >
          {label}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      <ErrorText error={error} />
    </form>
  );
}
