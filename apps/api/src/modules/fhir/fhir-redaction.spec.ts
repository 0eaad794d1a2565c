import type { AuditEvent, Practitioner } from 'fhir/r4';
import { buildSessionBundle, type FhirSessionInput } from './fhir-bundle';
import { redactForPatient } from './fhir-redaction';

const SESSION = '11111111-1111-4111-8111-111111111111';
const PATIENT_USER = '33333333-3333-4333-8333-333333333333';
const CLIN = '44444444-4444-4444-8444-444444444444';
const STRANGER = '88888888-8888-4888-8888-888888888888';
const SUPERVISOR = '99999999-9999-4999-8999-999999999999';

function input(): FhirSessionInput {
  const row = (seq: number, actorId: string, actorRole: string, outcome: string) => ({
    seq,
    at: `2026-11-20T09:0${seq}:00.000Z`,
    actorId,
    actorRole,
    action: 'session.read',
    outcome,
    sourceIp: '10.0.0.7',
  });
  return {
    session: {
      id: SESSION,
      state: 'ended',
      scheduledFor: null,
      dosedAt: '2026-11-20T09:00:00.000Z',
      endedAt: '2026-11-20T11:10:00.000Z',
      patient: { id: '22222222-2222-4222-8222-222222222222', userId: PATIENT_USER, name: 'Pat A' },
      clinician: { id: CLIN, name: 'Dr Ada' },
    },
    events: [],
    alerts: [],
    audit: [
      row(1, CLIN, 'clinician', 'success'),
      row(2, STRANGER, 'clinician', 'denied'),
      row(3, SUPERVISOR, 'supervisor', 'success'),
    ],
    staff: new Map([
      [CLIN, 'Dr Ada'],
      [STRANGER, 'Dr Stranger'],
      [SUPERVISOR, 'Sam Supervisor'],
    ]),
    generatedAt: '2026-11-20T12:00:00.000Z',
  };
}

const of = <R>(bundle: ReturnType<typeof buildSessionBundle>, type: string) =>
  (bundle.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type) as R[];

describe("FHIR export: a patient's own copy", () => {
  it('does not name staff who were refused access to the session, only their role', () => {
    const bundle = buildSessionBundle(redactForPatient(input()));
    const text = JSON.stringify(bundle);
    expect(text).not.toContain('Dr Stranger');
    expect(text).not.toContain(STRANGER);
    const denied = of<AuditEvent>(bundle, 'AuditEvent').find((a) => a.outcome === '4');
    expect(denied?.agent[0].who).toEqual({ display: 'clinician' });
    // Those who cared for the patient or reached the record are still named, under pseudonyms.
    const names = of<Practitioner>(bundle, 'Practitioner').map((p) => p.name?.[0].text);
    expect(names.sort()).toEqual(['Dr Ada', 'Sam Supervisor']);
    expect(text).not.toContain(CLIN);
  });

  it("keeps the refused attempt's name in the care team's export", () => {
    const bundle = buildSessionBundle(input());
    const denied = of<AuditEvent>(bundle, 'AuditEvent').find((a) => a.outcome === '4');
    expect(denied?.agent[0].who).toEqual({
      reference: `urn:uuid:${STRANGER}`,
      display: 'Dr Stranger',
    });
  });
});
