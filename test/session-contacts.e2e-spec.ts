import {
  assign,
  auditRows,
  http,
  login,
  makeSession,
  makeUser,
  type TestUser,
} from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { flow, goodScreening } from './support/clinical';

/** Who to call (issue 12): the patient's and the support person's numbers, read like PHI. */
describe('GET /api/sessions/:id/contacts', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    patient = await makeUser(t.dataSource, 'patient', 'Pat Phone');
    clinician = await makeUser(t.dataSource, 'clinician');
    const stranger = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    await t.dataSource.query(
      `UPDATE patients SET phone = '+44 7700 900001', support_name = 'Rec Ord', support_phone = '+44 7700 900002' WHERE id = $1`,
      [patient.patientId],
    );
    tokens.clinician = (await login(t.url, clinician)).accessToken;
    tokens.stranger = (await login(t.url, stranger)).accessToken;
    tokens.patient = (await login(t.url, patient)).accessToken;
  });
  afterAll(() => t.close());

  const contacts = (id: string, token: string) =>
    http(t.url, 'GET', `/api/sessions/${id}/contacts`, { token });

  it("gives the patient's number and the record's support person, and audits the read", async () => {
    const id = await makeSession(t.dataSource, { patient, clinician });
    const res = await contacts(id, tokens.clinician);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      patient: { name: 'Pat Phone', phone: '+44 7700 900001' },
      supportPerson: { name: 'Rec Ord', phone: '+44 7700 900002', from: 'record' },
    });
    const rows = await auditRows(t.dataSource, { action: 'session.contacts.read', entityId: id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'success', patient_id: patient.patientId });
  });

  it("prefers the support person attested at this session's screening", async () => {
    const id = await makeSession(t.dataSource, {
      patient,
      clinician,
      state: 'scheduled',
      dosedAt: null,
    });
    const screened = await flow(t, tokens.patient, id).post('screening', goodScreening('c-1'));
    expect(screened.status).toBe(201);
    const res = await contacts(id, tokens.clinician);
    expect(res.body.supportPerson).toEqual({ name: 'Sam', phone: '+15550100', from: 'screening' });
  });

  it('answers 404 to a clinician not assigned, and audits the refusal', async () => {
    const id = await makeSession(t.dataSource, { patient, clinician });
    expect((await contacts(id, tokens.stranger)).status).toBe(404);
    const rows = await auditRows(t.dataSource, { action: 'session.contacts.read', entityId: id });
    expect(rows.map((r: { outcome: string }) => r.outcome)).toEqual(['denied']);
  });
});
