import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

describe('notes and messages (v1 additions)', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;
  let sessionId: string;
  const token = {} as Record<'patient' | 'clinician' | 'stranger' | 'supervisor', string>;

  beforeAll(async () => {
    t = await createTestApp();
    patient = await makeUser(t.dataSource, 'patient');
    clinician = await makeUser(t.dataSource, 'clinician');
    const stranger = await makeUser(t.dataSource, 'clinician');
    const supervisor = await makeUser(t.dataSource, 'supervisor');
    await assign(t.dataSource, clinician, patient);
    sessionId = await makeSession(t.dataSource, { patient, clinician });
    for (const [k, u] of Object.entries({ patient, clinician, stranger, supervisor })) {
      token[k as keyof typeof token] = (await login(t.url, u)).accessToken;
    }
  });
  afterAll(() => t.close());

  const post = (route: string, who: keyof typeof token, body: unknown) =>
    http(t.url, 'POST', `/api/sessions/${sessionId}/${route}`, { token: token[who], body });

  it('records a clinician note as a note.added event, idempotently', async () => {
    const body = { clientId: 'n-1', text: 'Patient calm, support person present.' };
    const first = await post('notes', 'clinician', body);
    expect(first.status).toBe(201);
    expect(await post('notes', 'clinician', body)).toEqual({
      status: 200,
      body: { seq: first.body.seq, duplicate: true },
    });
    const log = await http(
      t.url,
      'GET',
      `/api/sessions/${sessionId}/events?after=${first.body.seq - 1}&limit=1`,
      { token: token.clinician },
    );
    expect(log.body.events[0]).toMatchObject({
      type: 'note.added',
      actorId: clinician.id,
      data: { text: body.text },
    });
  });

  it('lets a supervisor annotate but not a patient', async () => {
    expect((await post('notes', 'supervisor', { clientId: 'n-2', text: 'Reviewed.' })).status).toBe(
      201,
    );
    const refused = await post('notes', 'patient', { clientId: 'n-3', text: 'mine' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/^role: /);
  });

  it('carries messages both ways, naming who sent them', async () => {
    const fromPatient = await post('messages', 'patient', {
      clientId: 'm-1',
      text: 'Feeling a bit floaty.',
    });
    const fromClinician = await post('messages', 'clinician', {
      clientId: 'm-2',
      text: 'That is expected. Stay seated.',
    });
    expect([fromPatient.status, fromClinician.status]).toEqual([201, 201]);
    const log = await http(
      t.url,
      'GET',
      `/api/sessions/${sessionId}/events?after=${fromPatient.body.seq - 1}`,
      { token: token.patient },
    );
    expect(
      log.body.events.slice(0, 2).map((e: { type: string; data: unknown }) => [e.type, e.data]),
    ).toEqual([
      [
        'message.sent',
        { text: 'Feeling a bit floaty.', fromRole: 'patient', fromName: patient.name },
      ],
      [
        'message.sent',
        { text: 'That is expected. Stay seated.', fromRole: 'clinician', fromName: clinician.name },
      ],
    ]);
  });

  it('hides the session from an unassigned clinician and refuses a supervisor message', async () => {
    expect((await post('messages', 'stranger', { clientId: 'm-3', text: 'hi' })).status).toBe(404);
    expect((await post('notes', 'stranger', { clientId: 'n-4', text: 'hi' })).status).toBe(404);
    expect((await post('messages', 'supervisor', { clientId: 'm-4', text: 'hi' })).status).toBe(
      403,
    );
  });

  it.each([
    ['notes', { clientId: 'b-1', text: '   ' }, /^text: must not be empty/],
    ['notes', { clientId: 'b-2', text: 'x'.repeat(4001) }, /^text: must be at most 4000/],
    ['messages', { clientId: 'b-3' }, /^text: /],
    ['messages', { clientId: 'b-4', text: 'ok', urgent: true }, /^urgent: unknown field/],
  ])('refuses a bad %s body naming the field', async (route, body, message) => {
    const res = await post(route, 'clinician', body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });
});
