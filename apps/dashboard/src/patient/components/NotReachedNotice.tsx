import type { OutboxItem } from '@vigil/outbox';
import { EMERGENCY_SYMPTOMS } from '@vigil/clinical';
import type { SymptomCode } from '@vigil/contracts';
import { telHref } from '../../shared/tel';
import { EmergencyAdvice } from './EmergencyAdvice';

/** The help presses and check-ins the server refused for good: nobody on the care team saw them. */
export const notReached = (items: readonly OutboxItem[]) =>
  items.filter((i) => i.status === 'rejected' && (i.kind === 'help' || i.kind === 'checkin'));

/**
 * A help press or a check-in the server refused for good: nobody on the care team saw it. The
 * likeliest reason is that the session ended while it waited on the phone (409 `state`: nobody
 * watches an ended session). On every screen, above all else, as an alert: the patient is told
 * to call, with the number, and with the emergency advice when it was a help press or an
 * emergency symptom. The list under "Sent from this phone" alone read as a quiet status.
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
  const emergency =
    help ||
    refused.some((i) =>
      (Array.isArray(i.body.symptoms) ? (i.body.symptoms as SymptomCode[]) : []).some((s) =>
        EMERGENCY_SYMPTOMS.includes(s),
      ),
    );
  return (
    <section className="pt-notice pt-notice-danger" role="alert" data-testid="not-reached">
      <h2>
        {help
          ? 'Your help request did not go through'
          : 'Your check-in did not reach your care team'}
      </h2>
      <p>Nobody on your care team has seen it. If you need help, call them now.</p>
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
    </section>
  );
}
