import type { FhirSessionInput } from './fhir-bundle';
import { stableUuid } from './fhir-ids';

/**
 * A patient's own export names the staff who cared for them but not their account ids (which an
 * attacker once combined with a leaked secret to forge a supervisor token), and shows no network
 * addresses: each staff id becomes a stable per-session pseudonym, every source IP is dropped.
 */
export function redactForPatient(input: FhirSessionInput): FhirSessionInput {
  const patientUser = input.session.patient.userId;
  const alias = (id: string | null): string | null =>
    id === null || id === patientUser ? id : stableUuid(input.session.id, 'staff', id);
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
    staff: new Map([...input.staff].map(([id, name]) => [alias(id)!, name])),
  };
}
