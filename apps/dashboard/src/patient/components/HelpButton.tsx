import { useEffect, useRef, useState } from 'react';
import type { OutboxItem } from '@vigil/outbox';
import { useOnline } from '../hooks/useOnline';
import { useOutbox } from '../hooks/useOutbox';
import { patientOutbox } from '../outbox/patient-outbox';
import { STATUS_TEXT } from '../patient-copy';
import { refusalInWords } from '../refusal-words';
import { telHref } from '../../shared/tel';
import { EmergencyAdvice } from './EmergencyAdvice';

type Step = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'raised'; clientId: string | null };

/**
 * The help button on every screen. One tap asks "are you sure" (a pocket or a dissociated
 * thumb can press anything), the second raises a high alert through the outbox, so it is
 * never lost, and the screen shows what to do until someone answers.
 */
const HEADING: Record<OutboxItem['status'], string> = {
  delivered: 'Your care team has been alerted',
  pending: 'Sending your help request',
  rejected: 'Your help request did not go through',
};

export function HelpButton({
  sessionId,
  careTeamPhone = null,
}: {
  sessionId: string | null;
  /** The clinic's number (SessionSummary.careTeamPhone), kept on the phone with the session. */
  careTeamPhone?: string | null;
}) {
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const items = useOutbox();
  const online = useOnline();

  useEffect(() => {
    if (step.kind === 'confirm') confirmRef.current?.focus();
    // The button pressed is gone: focus on the heading keeps a keyboard or screen reader user in
    // the dialog, which reads its title and then the status (its description) at once.
    if (step.kind === 'raised') titleRef.current?.focus();
  }, [step.kind]);

  const open = () => {
    setError(null);
    // Nothing to alert outside a live session: go straight to what to do.
    setStep(sessionId ? { kind: 'confirm' } : { kind: 'raised', clientId: null });
  };

  const raise = async () => {
    if (!sessionId) return;
    try {
      const item = await patientOutbox.enqueue({ sessionId, kind: 'help', body: {} });
      setStep({ kind: 'raised', clientId: item.clientId });
    } catch (err) {
      setError(`Could not raise the alert from this phone (${(err as Error).message}).`);
      setStep({ kind: 'raised', clientId: null });
    }
  };

  const item = step.kind === 'raised' ? items.find((i) => i.clientId === step.clientId) : undefined;

  return (
    <>
      <div className="pt-helpbar">
        <button type="button" className="pt-help" onClick={open}>
          Get help
        </button>
      </div>
      {step.kind === 'confirm' && (
        <div className="pt-overlay" role="alertdialog" aria-modal="true" aria-labelledby="help-q">
          <div className="pt-dialog">
            <h2 id="help-q">Get help now?</h2>
            <p>Your care team will be alerted straight away.</p>
            <button
              ref={confirmRef}
              type="button"
              className="pt-button pt-button-danger"
              onClick={() => void raise()}
            >
              Yes, alert my care team
            </button>
            <button
              type="button"
              className="pt-button pt-button-quiet"
              onClick={() => setStep({ kind: 'idle' })}
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      {step.kind === 'raised' && (
        <div
          className="pt-overlay pt-overlay-full"
          role="dialog"
          aria-modal="true"
          aria-labelledby="help-title"
          aria-describedby={item ? 'help-status' : undefined}
        >
          <div className="pt-dialog pt-stack">
            {/* Only an acknowledged press has alerted anyone: someone told so may not call. */}
            <h2 id="help-title" ref={titleRef} tabIndex={-1}>
              {!item
                ? 'Get help now'
                : item.status === 'pending' && !online
                  ? 'Not sent yet: no connection'
                  : HEADING[item.status]}
            </h2>
            {item && (
              // A live region: "received" or "did not go through" is heard when it comes.
              <p
                id="help-status"
                className={`pt-status pt-status-${item.status}`}
                role="status"
                data-testid="help-status"
              >
                {STATUS_TEXT[item.status]}
                {item.status === 'pending' && '. Nobody has been alerted yet.'}
                {item.status === 'rejected' && `: ${refusalInWords(item.lastError)}`}
              </p>
            )}
            {item?.status === 'pending' && (
              <p>
                {online
                  ? 'The phone keeps trying to send it.'
                  : 'It will be sent by itself when the phone has a connection.'}{' '}
                Do not wait for it: if you need help now, call your care team
                {careTeamPhone ? ' on the number below' : ''}, or emergency services.
              </p>
            )}
            {!item && !error && (
              <p className="pt-notice pt-notice-warn">
                There is no live session on this phone, so it cannot alert your care team. Call
                them, or emergency services.
              </p>
            )}
            {error && <p className="pt-notice pt-notice-danger">{error}</p>}
            {careTeamPhone && (
              <p className="pt-careteam">
                Your care team:{' '}
                {/* The accessible name contains the visible number (WCAG 2.5.3). */}
                <a
                  className="pt-tel"
                  href={telHref(careTeamPhone)}
                  aria-label={`Call your care team on ${careTeamPhone}`}
                >
                  <strong>{careTeamPhone}</strong>
                </a>{' '}
                (tap to call)
              </p>
            )}
            <EmergencyAdvice />
            <p>Otherwise, stay where you are: your clinician will contact you.</p>
            <button
              type="button"
              className="pt-button pt-button-quiet"
              onClick={() => setStep({ kind: 'idle' })}
            >
              Back to my session
            </button>
          </div>
        </div>
      )}
    </>
  );
}
