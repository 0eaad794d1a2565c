import { useQuery } from '@tanstack/react-query';
import type { SessionContacts } from '@vigil/contracts';
import { api } from '../../shared/api';
import { telHref } from '../../shared/tel';

function Phone({ who, name, phone }: { who: string; name: string | null; phone: string | null }) {
  return (
    <span className="contact">
      {who}
      {name ? ` (${name})` : ''}:{' '}
      {phone ? (
        // The accessible name contains the visible number (WCAG 2.5.3, label in name).
        <a
          href={telHref(phone)}
          aria-label={`Call ${who.toLowerCase()}${name ? ` ${name}` : ''} on ${phone}`}
        >
          {phone}
        </a>
      ) : (
        <span className="muted">no number on record</span>
      )}
    </span>
  );
}

/**
 * Who to call about this session, as tap-to-call links: the patient and the support person
 * (as attested at today's screening, else the record). Read once per visit: each read is an
 * audited read of patient data, so it is not refetched on focus or on a timer.
 */
export function SessionContactsLine({ sessionId }: { sessionId: string }) {
  const contacts = useQuery({
    queryKey: ['session-contacts', sessionId],
    queryFn: () => api<SessionContacts>('GET', `/api/sessions/${sessionId}/contacts`),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
  });
  if (contacts.isPending) return <p className="contacts muted">Loading phone numbers…</p>;
  if (contacts.isError)
    return (
      <p className="contacts" role="alert">
        Could not load the phone numbers: {contacts.error.message}
      </p>
    );
  const { patient, supportPerson } = contacts.data;
  return (
    <p className="contacts" data-testid="contacts">
      <span aria-hidden="true">☎ </span>
      <Phone who="Patient" name={null} phone={patient.phone} />
      {' · '}
      <Phone who="Support person" name={supportPerson.name} phone={supportPerson.phone} />
      {supportPerson.from === 'screening' && (
        <span className="muted"> (as given at screening)</span>
      )}
    </p>
  );
}
