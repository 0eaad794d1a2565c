import type { FhirSessionInput } from './fhir-bundle';
import { stableUuid } from './fhir-ids';

/**
 * A patient's own export names the staff who cared for them but not their account ids (which an
 * attacker once combined with a leaked secret to forge a supervisor token), and shows no network
 * addresses: each staff id becomes a stable per-session pseudonym, every source IP is dropped.
 * Staff who were only ever refused this session never reached the record: their attempts show
 * their role alone, as the care team's audit log is where they are named.
 */
export function redactForPatient(input: FhirSessionInput): FhirSessionInput {
  const patientUser = input.session.patient.userId;
  const alias = (id: string | null): string | null =>
    id === null || id === patientUser ? id : stableUuid(input.session.id, 'staff', id);
  const reached = new Set([
    input.session.clinician.id,
    ...input.events.map((e) => e.actorId),
    ...input.alerts.flatMap((a) => [a.acknowledgedBy, a.resolvedBy]),
    ...input.audit.filter((row) => row.outcome !== 'denied').map((row) => row.actorId),
  ]);
  return {
    ...input,
    session: {
      ...input.session,
      clinician: { ...input.session.clinician, id: alias(input.session.clinician.id)! },
    },
    events: input.events.map((e) => ({ ...e, actorId: alias(e.actorId) })),
    alerts: input.alerts.map((a) => ({
      ...a,
      acknowledgedBy: alias(a.acknowledgedBy),
      resolvedBy: alias(a.resolvedBy),
    })),
    audit: input.audit.map((row) => ({ ...row, actorId: alias(row.actorId), sourceIp: null })),
    staff: new Map(
      [...input.staff].filter(([id]) => reached.has(id)).map(([id, name]) => [alias(id)!, name]),
    ),
  };
}
