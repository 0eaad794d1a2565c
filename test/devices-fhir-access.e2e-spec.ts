import { manual } from './support/clinical';
import { bpPanel, observation, pairDevice, postFhir, LOINC } from './support/devices';
import { assign, auditRows, http, makeUser, type TestUser } from './support/factories';
import { headSeq, setupFhirIngest } from './support/fhir-fixture';
import type { TestApp } from './support/test-app';

describe('FHIR R4 ingest from paired devices: credentials and access', () => {
  let t: TestApp;
  let patient: TestUser;
  let other: TestUser;
  let clinician: TestUser;
  let sessionId: string;
  let otherSessionId: string;
  let clinicianToken: string;
  let hub: { id: string; credential: string };

  const head = (id = sessionId) => headSeq(t, id);

  beforeAll(async () => {
    ({ t, patient, other, clinician, sessionId, otherSessionId, clinicianToken, hub } =
      await setupFhirIngest());
  });
  // Readings are dated by the wall clock; keep the app's manual clock with it (a reading more
  // than a minute ahead of the server's clock is refused).
  beforeEach(() => manual(t).set(new Date()));
  afterAll(() => t.close());

  it("refuses a credential for patient A aimed at patient B's session: 404, audited", async () => {
    const before = await head(otherSessionId);
    const res = await postFhir(
      t.url,
      hub.credential,
      '/api/fhir/Observation',
      observation('8867-4', 70, '/min', {
        encounter: { reference: `Encounter/${otherSessionId}` },
      }),
    );
    expect(res.status).toBe(404);
    expect(res.body.issue[0]).toMatchObject({
      code: 'not-found',
      expression: ['Observation.encounter'],
    });
    const subject = await postFhir(
      t.url,
      hub.credential,
      '/api/fhir/Observation',
      observation('8867-4', 70, '/min', { subject: { reference: `Patient/${other.patientId}` } }),
    );
    expect(subject.status).toBe(404);
    expect(await head(otherSessionId)).toBe(before);
    expect(
      await auditRows(t.dataSource, { action: 'device.ingest', entityId: otherSessionId }),
    ).toMatchObject([
      { outcome: 'denied', actor_id: hub.id, actor_role: 'device', patient_id: other.patientId },
    ]);
  });

  it('refuses an observation for a patient with no live session (422), audited', async () => {
    const idle = await makeUser(t.dataSource, 'patient');
    await assign(t.dataSource, clinician, idle);
    const cuff = await pairDevice(t.url, clinicianToken, idle, 'bp_cuff');
    const res = await postFhir(t.url, cuff.credential, '/api/fhir/Observation', bpPanel(120, 80));
    expect(res.status).toBe(422);
    expect(res.body.issue[0]).toMatchObject({ code: 'business-rule' });
    expect(res.body.issue[0].diagnostics).toMatch(/no live session/);
    expect(
      await auditRows(t.dataSource, { action: 'device.ingest', actorId: cuff.device.id }),
    ).toMatchObject([{ outcome: 'denied', patient_id: idle.patientId }]);
    // A cuff reports BP, not temperature.
    const temp = await postFhir(
      t.url,
      cuff.credential,
      '/api/fhir/Observation',
      observation('8310-5', 37, 'Cel'),
    );
    expect(temp.status).toBe(422);
  });

  it('takes only device credentials here, and device credentials nowhere else', async () => {
    const asUser = await postFhir(
      t.url,
      clinicianToken,
      '/api/fhir/Observation',
      observation('8867-4', 70, '/min'),
    );
    expect(asUser.status).toBe(401);
    expect(asUser.body.resourceType).toBe('OperationOutcome');
    const forged = await postFhir(
      t.url,
      `${hub.credential.slice(0, -4)}AAAA`,
      '/api/fhir/Observation',
      observation('8867-4', 70, '/min'),
    );
    expect(forged.status).toBe(401);
    const read = await http(t.url, 'GET', `/api/sessions/${sessionId}`, { token: hub.credential });
    expect(read.status).toBe(401);
  });

  it('a revoked credential is refused at once (401), audited', async () => {
    const spare = await pairDevice(t.url, clinicianToken, patient, 'pulse_oximeter');
    const ok = await postFhir(
      t.url,
      spare.credential,
      '/api/fhir/Observation',
      observation('59408-5', 97, '%'),
    );
    expect(ok.status).toBe(201);
    const revoked = await http(
      t.url,
      'POST',
      `/api/patients/${patient.patientId}/devices/${spare.device.id}/revoke`,
      { token: clinicianToken },
    );
    expect(revoked.status).toBe(200);
    const res = await postFhir(
      t.url,
      spare.credential,
      '/api/fhir/Observation',
      observation('59408-5', 97, '%'),
    );
    expect(res.status).toBe(401);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(
      await auditRows(t.dataSource, { action: 'device.auth', entityId: spare.device.id }),
    ).toMatchObject([{ outcome: 'denied', detail: { reason: 'revoked' } }]);
    expect(LOINC).toBe('http://loinc.org');
  });
});
