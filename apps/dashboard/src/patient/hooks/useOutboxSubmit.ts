import { useState, type FormEvent } from 'react';

export interface OutboxSubmit {
  saving: boolean;
  saveError: string | null;
  onSubmit: (e: FormEvent) => void;
}

const couldNotSave = (reason: string) => `Could not save on this phone: ${reason}`;

/**
 * A phone form's submit. `submit` checks the answers (returning early when one is wrong) and
 * writes to the outbox; while it runs the send button is disabled, and a write the phone
 * refused (storage full, private browsing) becomes the words the form shows, since nothing
 * was queued and nothing will be sent.
 */
export function useOutboxSubmit(submit: () => Promise<void>, failed = couldNotSave): OutboxSubmit {
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const run = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      await submit();
    } catch (err) {
      setSaveError(failed((err as Error).message));
    } finally {
      setSaving(false);
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!saving) void run();
  };
  return { saving, saveError, onSubmit };
}
