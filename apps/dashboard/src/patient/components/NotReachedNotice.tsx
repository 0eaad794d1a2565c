import type { OutboxItem } from '@vigil/outbox';
import { EMERGENCY_SYMPTOMS } from '@vigil/clinical';
import type { SymptomCode } from '@vigil/contracts';
import { clockTimeOrDay } from '../../shared/clock-time';
import { telHref } from '../../shared/tel';
import { patientOutbox } from '../outbox/patient-outbox';
import { KIND_LABELS } from '../patient-copy';
import { refusalInWords } from '../refusal-words';
import { EmergencyAdvice } from './EmergencyAdvice';

/** The notice's id: the sync line links to it ("see which"). */
export const NOT_REACHED_ID = 'not-reached';

/**
 * What the server refused for good and the patient has not yet said they read: nobody on the
 * care team saw it. Session steps are the phone's own doing and shown nowhere.
 */
export const notReached = (items: readonly OutboxItem[]) =>
  items.filter((i) => i.status === 'rejected' && !i.dismissedAt && i.kind !== 'transition');

/**
 * Something the server refused for good: nobody on the care team saw it. The likeliest reason is
 * that the session ended while it waited on the phone (409 `state`: nobody watches an ended
 * session). On every screen, above all else, whatever session the phone has moved on to (the
 * clinician may have scheduled the next one for later the same day), until the patient says they
 * have read it: told to call, with the number, and with the emergency advice when it was a help
 * press or an emergency symptom. A refused help press or check-in is an alert; a blood pressure,
 * dose, screening or message refused (often for a reason the screen it was sent from explains)
 * is a warning. The list under "Sent from this phone" alone read as a quiet status.
 */
export function NotReachedNotice({
  items,
  careTeamPhone,
}: {
  items: readonly OutboxItem[];
  careTeamPhone: string | null;
}) {
  const refused = notReached(items);
  if (refused.length === 0) return null;
  const help = refused.some((i) => i.kind === 'help');
  const checkIn = refused.some((i) => i.kind === 'checkin');
  const emergency =
    help ||
    refused.some((i) =>
      (Array.isArray(i.body.symptoms) ? (i.body.symptoms as SymptomCode[]) : []).some((s) =>
        EMERGENCY_SYMPTOMS.includes(s),
      ),
    );
  return (
    <section
      id={NOT_REACHED_ID}
      tabIndex={-1}
      className={`pt-notice ${help || checkIn ? 'pt-notice-danger' : 'pt-notice-warn'}`}
      role={help || checkIn ? 'alert' : 'status'}
      aria-labelledby="not-reached-title"
      data-testid="not-reached"
    >
      <h2 id="not-reached-title">
        {help
          ? 'Your help request did not go through'
          : checkIn
            ? 'Your check-in did not reach your care team'
            : 'Not everything reached your care team'}
      </h2>
      <ul>
        {refused.map((i) => (
          <li key={i.clientId}>
            <strong>{KIND_LABELS[i.kind]}</strong> ({clockTimeOrDay(i.createdAt)}):{' '}
            {refusalInWords(i.lastError)}
          </li>
        ))}
      </ul>
      <p>
        Nobody on your care team has seen {refused.length === 1 ? 'it' : 'them'}. If you need help,
        call them now.
      </p>
      {careTeamPhone && (
        <p>
          <a
            className="pt-tel"
            href={telHref(careTeamPhone)}
            aria-label={`Call your care team on ${careTeamPhone}`}
          >
            <strong>{careTeamPhone}</strong>
          </a>
        </p>
      )}
      {emergency && <EmergencyAdvice />}
      <button
        type="button"
        className="pt-button pt-button-quiet"
        onClick={() => void patientOutbox.dismiss(refused.map((i) => i.clientId))}
      >
        I have read this
      </button>
    </section>
  );
}
