import { parseConfig } from '../apps/api/src/config/config.schema';
import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/** The clinic's number (issue 12, contract v1.2): sent with the session for the phone's help screen. */
describe('SessionSummary.careTeamPhone', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { CARE_TEAM_PHONE: '+44 20 7946 0000' } });
    patient = await makeUser(t.dataSource, 'patient');
    clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
  });
  afterAll(() => t.close());

  it("comes with the patient's session, listed and read one by one", async () => {
    const id = await makeSession(t.dataSource, { patient, clinician });
    const token = (await login(t.url, patient)).accessToken;
    const list = await http<Array<{ id: string; careTeamPhone: string | null }>>(
      t.url,
      'GET',
      '/api/sessions?state=live',
      { token },
    );
    expect(list.status).toBe(200);
    expect(list.body.find((s) => s.id === id)?.careTeamPhone).toBe('+44 20 7946 0000');
    const one = await http<{ careTeamPhone: string | null }>(t.url, 'GET', `/api/sessions/${id}`, {
      token,
    });
    expect(one.body.careTeamPhone).toBe('+44 20 7946 0000');
  });

  it('is refused at boot, by name, when it is not a phone number', () => {
    const base = { VIGIL_MODE: 'demo' };
    expect(() => parseConfig({ ...base, CARE_TEAM_PHONE: 'ring the clinic' })).toThrow(
      /CARE_TEAM_PHONE: a phone number/,
    );
    expect(parseConfig({ ...base, CARE_TEAM_PHONE: '+1 (555) 010-0000' }).CARE_TEAM_PHONE).toBe(
      '+1 (555) 010-0000',
    );
    expect(parseConfig(base).CARE_TEAM_PHONE).toBeUndefined();
  });
});
