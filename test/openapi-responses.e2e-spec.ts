import { settle, tick } from './support/clinical';
import { bundle, observation, pairDevice, postFhir } from './support/devices';
import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { METHODS, OpenApiChecker, type OpenApiDocument } from './support/openapi-checker';
import { createTestApp, type TestApp } from './support/test-app';

const NEW_PASSWORD = 'another horse battery staple';

/**
 * The OpenAPI description at /api/docs is what the API really answers: every route documents a
 * success response with a schema (made from libs/contracts/src/responses.ts), and every route is
 * called here on a seeded app and its real answer, success or error, validated with ajv against
 * the schema documented for that status and content type. A route added without a documented
 * response, or answering a field its schema does not name, fails this test.
 */
describe('OpenAPI response schemas against real answers', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let api: OpenApiChecker;
  const call: OpenApiChecker['call'] = (...args) => api.call(...args);

  let sup: TestUser;
  let clin: TestUser;
  let pat: TestUser;
  let pat2: TestUser;
  let s: string;
  let c: string;
  let p: string;
  let p2: string;

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await http<OpenApiDocument>(t.url, 'GET', '/api/docs/openapi.json')).body;
    api = new OpenApiChecker(t.url, doc);
    sup = await makeUser(t.dataSource, 'supervisor');
    clin = await makeUser(t.dataSource, 'clinician');
    pat = await makeUser(t.dataSource, 'patient');
    pat2 = await makeUser(t.dataSource, 'patient');
    await assign(t.dataSource, clin, pat);
    await assign(t.dataSource, clin, pat2);
  });
  afterAll(() => t.close());

  it('validates for real: a field the contract does not name fails', () => {
    const sessionSchema =
      doc.paths['/api/sessions/{id}'].get.responses!['200'].content!['application/json'].schema!;
    const validate = api.compile(sessionSchema);
    const session = {
      id: '00000000-0000-4000-8000-000000000001',
      patient: { id: '00000000-0000-4000-8000-000000000002', name: 'P' },
      clinician: { id: '00000000-0000-4000-8000-000000000003', name: 'C' },
      state: 'monitoring',
      protocol: { id: '00000000-0000-4000-8000-000000000004', name: 'oral', version: 1 },
      scheduledFor: null,
      dosedAt: '2026-12-01T10:00:00.000Z',
      endedAt: null,
      headSeq: 3,
    };
    expect(validate(session)).toBe(true);
    expect(validate({ ...session, passwordHash: 'x' })).toBe(false);
    expect(validate({ ...session, dosedAt: 'yesterday' })).toBe(false);
    expect(validate({ ...session, headSeq: undefined })).toBe(false);
  });

  it('documents a success response with a schema for every operation', () => {
    const missing: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        operations++;
        const ok = Object.entries(op.responses ?? {}).some(
          ([status, r]) =>
            status === '204' ||
            (/^2\d\d$/.test(status) && Object.values(r.content ?? {}).some((m) => m.schema)),
        );
        if (!ok) missing.push(`${method.toUpperCase()} ${path}`);
        if (!op.responses?.default?.content)
          missing.push(`${method.toUpperCase()} ${path} (errors)`);
      }
    }
    expect(missing).toEqual([]);
    expect(operations).toBeGreaterThanOrEqual(46);
  });

  it('auth, health and sessions answer as documented', async () => {
    const loginAs = async (u: TestUser) =>
      (
        await call('POST', '/api/auth/login', {
          body: { email: u.email, password: 'correct horse battery staple' },
        })
      ).body.accessToken as string;
    s = await loginAs(sup);
    c = await loginAs(clin);
    p = await loginAs(pat);
    p2 = (await login(t.url, pat2)).accessToken;
    await call('POST', '/api/auth/login', { body: { email: pat.email, password: 'wrong one' } });
    await call('POST', '/api/auth/login', { body: { email: pat.email } });
    // Logging out ends every login of the account: a user of its own.
    const spare = await login(t.url, await makeUser(t.dataSource, 'clinician'));
    const refreshed = await call('POST', '/api/auth/refresh', {
      body: { refreshToken: spare.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    await call('POST', '/api/auth/logout', { token: refreshed.body.accessToken });

    await call('GET', '/api/health');
    await call('GET', '/api/health/live');
    await call('GET', '/api/health/ready');
    await tick(t); // the test clock does not move: a tick now makes the watchdog fresh
    expect((await call('GET', '/api/health/ready')).status).toBe(200);

    const sessionId = await makeSession(t.dataSource, { patient: pat, clinician: clin });
    const params = { id: sessionId };
    await call('GET', '/api/sessions', { token: c, query: 'state=live' });
    await call('GET', '/api/sessions/{id}', { token: c, params });
    await call('GET', '/api/sessions/{id}', { token: p2, params });
    await call('GET', '/api/sessions/{id}/events', { token: c, params, query: 'after=0' });
    await call('GET', '/api/sessions/{id}/contacts', { token: c, params });
  });

  it('submissions, alerts and the FHIR export answer as documented', async () => {
    const sessionId = await makeSession(t.dataSource, { patient: pat, clinician: clin });
    const params = { id: sessionId };
    const now = new Date().toISOString();
    const checkIn = { clientId: 'oa-c1', moaas: 5, nausea: 1, note: 'fine' };
    await call('POST', '/api/sessions/{id}/check-ins', { token: p, params, body: checkIn });
    await call('POST', '/api/sessions/{id}/check-ins', { token: p, params, body: checkIn });
    await call('POST', '/api/sessions/{id}/check-ins', {
      token: p,
      params,
      body: { clientId: 'oa-c2', moaas: 9 },
    });
    await call('POST', '/api/sessions/{id}/vitals', {
      token: p,
      params,
      body: {
        clientId: 'oa-v1',
        readings: [
          { kind: 'bp_systolic', value: 128, measuredAt: now },
          { kind: 'bp_diastolic', value: 82, measuredAt: now },
          { kind: 'spo2', value: 97, measuredAt: now },
        ],
      },
    });
    await call('POST', '/api/sessions/{id}/notes', {
      token: c,
      params,
      body: { clientId: 'oa-n1', text: 'calm' },
    });
    await call('POST', '/api/sessions/{id}/messages', {
      token: c,
      params,
      body: { clientId: 'oa-m1', text: 'How are you?' },
    });
    await call('POST', '/api/sessions/{id}/help', {
      token: p,
      params,
      body: { clientId: 'oa-h1' },
    });
    await settle(t);

    const alerts = await call('GET', '/api/sessions/{id}/alerts', { token: c, params });
    const help = (alerts.body as Array<{ id: string; condition: string }>).find(
      (a) => a.condition === 'help',
    )!;
    const alert = { id: help.id };
    await call('POST', '/api/alerts/{id}/acknowledge', { token: c, params: alert, body: {} });
    await call('POST', '/api/alerts/{id}/silence', {
      token: c,
      params: alert,
      body: { minutes: 1 },
    });
    await call('POST', '/api/alerts/{id}/resolve', {
      token: c,
      params: alert,
      body: { note: 'spoke to the patient' },
    });
    await call('POST', '/api/alerts/{id}/resolve', { token: c, params: alert, body: {} });
    await call('GET', '/api/sessions/{id}/fhir', { token: c, params });
  });

  it('the session flow answers as documented', async () => {
    const sessionId = await makeSession(t.dataSource, {
      patient: pat2,
      clinician: clin,
      state: 'screening',
    });
    const params = { id: sessionId };
    const screening = {
      clientId: 'oa-s1',
      sbp: 190,
      dbp: 100,
      hr: 72,
      spo2: 98,
      supportPerson: { adult: true, presentWholeSession: true, name: 'Sam', phone: '+15550100' },
      fasting: true,
      noRecentSubstances: true,
      concomitantBpRaisingMeds: false,
      moaasBaseline: 5,
    };
    const first = await call('POST', '/api/sessions/{id}/screening', {
      token: p2,
      params,
      body: screening,
    });
    expect(first.body.gate.status).toBe('no_go');
    await call('POST', '/api/sessions/{id}/screening', { token: p2, params, body: screening });
    await call('POST', '/api/sessions/{id}/override', {
      token: c,
      params,
      body: { clientId: 'oa-o1', gate: 'pre_dose', reason: 'repeat BP 132/84 in clinic call' },
    });
    await call('POST', '/api/sessions/{id}/dose', {
      token: p2,
      params,
      body: { clientId: 'oa-d1', doseMg: 100, route: 'oral', takenAt: t.clock.now().toISOString() },
    });
    await call('POST', '/api/sessions/{id}/transition', {
      token: c,
      params,
      body: { clientId: 'oa-t1', action: 'abort', reason: 'patient asked to stop' },
    });
    await call('POST', '/api/sessions/{id}/transition', {
      token: c,
      params,
      body: { clientId: 'oa-t2', action: 'abort' },
    });
  });

  it('devices and FHIR ingest answer as documented', async () => {
    await makeSession(t.dataSource, { patient: pat2, clinician: clin });
    const params = { patientId: pat2.patientId! };
    const paired = await call('POST', '/api/patients/{patientId}/devices', {
      token: c,
      params,
      body: { kind: 'hub', manufacturer: 'Acme', model: 'hub-1', serial: 'OA-1' },
    });
    expect(paired.status).toBe(201);
    const credential = paired.body.credential as string;
    await call('GET', '/api/patients/{patientId}/devices', { token: c, params });
    const fhir = (path: '/api/fhir' | '/api/fhir/Observation', body: unknown) =>
      call('POST', path, { send: () => postFhir(t.url, credential, path, body) });
    const obs = observation('8867-4', 74, '/min');
    await fhir('/api/fhir/Observation', obs);
    await fhir('/api/fhir/Observation', obs);
    await fhir('/api/fhir/Observation', { resourceType: 'Observation' });
    await fhir('/api/fhir', bundle('batch', [observation('59408-5', 97, '%')]));
    await fhir('/api/fhir', { resourceType: 'Patient' });
    const device = { ...params, deviceId: paired.body.device.id as string };
    const rotated = await call('POST', '/api/patients/{patientId}/devices/{deviceId}/rotate', {
      token: c,
      params: device,
    });
    expect(rotated.status).toBe(200);
    await call('POST', '/api/patients/{patientId}/devices/{deviceId}/revoke', {
      token: c,
      params: device,
      body: { reason: 'returned' },
    });
    await pairDevice(t.url, c, pat2, 'bp_cuff');
  });

  it('overrides, admin, supervisor and audit answer as documented', async () => {
    const sessionId = await makeSession(t.dataSource, { patient: pat, clinician: clin });
    const patientParams = { patientId: pat.patientId! };
    const overrides = await call('GET', '/api/patients/{patientId}/overrides', {
      token: c,
      params: patientParams,
    });
    const setting = overrides.body.settings[0] as { setting: string; min: number };
    const settingParams = { ...patientParams, setting: setting.setting };
    await call('PUT', '/api/patients/{patientId}/overrides/{setting}', {
      token: c,
      params: settingParams,
      body: { value: setting.min, reason: 'lower baseline on record' },
    });
    await call('PUT', '/api/patients/{patientId}/overrides/{setting}', {
      token: c,
      params: settingParams,
      body: { value: 'high', reason: 'x' },
    });
    await call('DELETE', '/api/patients/{patientId}/overrides/{setting}', {
      token: c,
      params: settingParams,
      body: { reason: 'back to the protocol' },
    });

    const staff = await call('POST', '/api/admin/staff', {
      token: s,
      body: { email: 'oa.clinician@test.vigil', name: 'OA Clinician', password: NEW_PASSWORD },
    });
    const newPatient = await call('POST', '/api/admin/patients', {
      token: s,
      body: { email: 'oa.patient@test.vigil', name: 'OA Patient', password: NEW_PASSWORD },
    });
    const assignment = await call('POST', '/api/admin/assignments', {
      token: s,
      body: { clinicianId: staff.body.id, patientId: newPatient.body.patientId },
    });
    await call('GET', '/api/admin/assignments', { token: s });
    await call('POST', '/api/admin/assignments/{id}/end', {
      token: s,
      params: { id: assignment.body.id },
    });
    await call('POST', '/api/admin/sessions', {
      token: s,
      body: {
        patientId: newPatient.body.patientId,
        clinicianId: clin.id,
        scheduledFor: new Date().toISOString(),
      },
    });
    await call('POST', '/api/admin/accounts/{id}/login-lockouts/clear', {
      token: s,
      params: { id: pat.id },
    });
    await call('POST', '/api/admin/accounts/{id}/deactivate', {
      token: s,
      params: { id: staff.body.id },
    });
    await call('POST', '/api/admin/staff', { token: c, body: {} });

    await call('GET', '/api/supervisor/sessions', { token: s });
    await call('GET', '/api/supervisor/alert-figures', { token: s });
    await call('GET', '/api/supervisor/accounts', { token: s });
    const report = { id: sessionId };
    await call('GET', '/api/supervisor/sessions/{id}/report', { token: s, params: report });
    await call('GET', '/api/supervisor/sessions/{id}/report', {
      token: s,
      params: report,
      query: 'format=csv',
    });
    await call('GET', '/api/audit/events', { token: s });
    await call('GET', '/api/audit/events', { token: s, query: 'view=clinical' });
    await call('GET', '/api/audit/verify', { token: s });
  });

  it('every operation was called and each answer matched its documented schema', () => {
    expect(api.failures).toEqual([]);
    expect(api.notCalled()).toEqual([]);
  });
});
