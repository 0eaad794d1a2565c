import type { ReactNode } from 'react';
import type { OutboxSubmit } from '../hooks/useOutboxSubmit';
import { ErrorText } from '../../shared/components/ErrorText';

interface PhoneFormProps {
  title: string;
  /** Names the form after its title (for the forms that are the whole screen). */
  titleId?: string;
  className?: string;
  submit: OutboxSubmit;
  /** A wrong answer that stops it being saved; otherwise the save's own failure shows. */
  error?: string | null;
  submitLabel: string;
  /** Shows Back under the send button. */
  onCancel?: () => void;
  children: ReactNode;
}

/**
 * The frame every phone form shares: its title, then its questions, the reason a save failed,
 * one large send button (disabled while saving) and, where there is somewhere to go back to,
 * Back. Validation is the browser's job nowhere: the form says what is wrong in plain words.
 */
export function PhoneForm({
  title,
  titleId,
  className = 'pt-stack',
  submit,
  error,
  submitLabel,
  onCancel,
  children,
}: PhoneFormProps) {
  return (
    <form className={className} onSubmit={submit.onSubmit} noValidate aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {children}
      <ErrorText error={error ?? submit.saveError} className="pt-notice pt-notice-danger" />
      <button type="submit" className="pt-button pt-button-primary" disabled={submit.saving}>
        {submitLabel}
      </button>
      {onCancel && (
        <button type="button" className="pt-button pt-button-quiet" onClick={onCancel}>
          Back
        </button>
      )}
    </form>
  );
}
