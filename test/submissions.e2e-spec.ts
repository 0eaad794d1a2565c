import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

const at = '2026-11-26T10:00:00.000Z';

describe('submissions: idempotent, gapless, validated', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;
  let sessionId: string;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    patient = await makeUser(t.dataSource, 'patient');
    clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    sessionId = await makeSession(t.dataSource, { patient, clinician });
    token = (await login(t.url, patient)).accessToken;
  });
  afterAll(() => t.close());

  const post = (path: string, body: unknown, tok = token) =>
    http(t.url, 'POST', `/api/sessions/${sessionId}/${path}`, { token: tok, body });

  it('stores a check-in, then recognises its retry and refuses a different body under the same id', async () => {
    const body = { clientId: 'ci-1', moaas: 5, dissociation: 2, takenAt: at };
    const first = await post('check-ins', body);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ seq: expect.any(Number), duplicate: false });
    const retry = await post('check-ins', { ...body });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ seq: first.body.seq, duplicate: true });
    const clash = await post('check-ins', { ...body, dissociation: 3 });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toMatch(/^clientId: /);
    const rows = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM session_events WHERE session_id = $1 AND client_id = 'ci-1'`,
      [sessionId],
    );
    expect(rows[0].n).toBe(1);
  });

  it("refuses another patient's submission to a session its owner already submitted to (cached owner)", async () => {
    expect((await post('help', { clientId: 'owner-warm' })).status).toBe(201);
    const other = await makeUser(t.dataSource, 'patient');
    const otherToken = (await login(t.url, other)).accessToken;
    const res = await post('help', { clientId: 'intruder-1' }, otherToken);
    expect(res.status).toBe(404);
    const rows = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM session_events WHERE session_id = $1 AND client_id = 'intruder-1'`,
      [sessionId],
    );
    expect(rows[0].n).toBe(0);
    expect((await post('help', { clientId: 'owner-again' })).status).toBe(201);
  });

  it('treats the same client id on another route as a conflict, not a duplicate', async () => {
    await post('help', { clientId: 'shared-id' });
    const res = await post('check-ins', { clientId: 'shared-id', moaas: 4 });
    expect(res.status).toBe(409);
  });

  it('stores vitals and help, and the event log returns them in seq order with the same shape', async () => {
    const vitals = await post('vitals', {
      clientId: 'v-1',
      readings: [
        { kind: 'bp_systolic', value: 132, measuredAt: at },
        { kind: 'bp_diastolic', value: 84, measuredAt: at },
      ],
    });
    expect(vitals.status).toBe(201);
    const help = await post('help', { clientId: 'h-1', note: 'feeling faint' });
    expect(help.status).toBe(201);
    const log = await http(
      t.url,
      'GET',
      `/api/sessions/${sessionId}/events?after=${vitals.body.seq - 1}&limit=2`,
      { token },
    );
    expect(log.status).toBe(200);
    expect(log.body.events.map((e: { seq: number }) => e.seq)).toEqual([
      vitals.body.seq,
      vitals.body.seq + 1,
    ]);
    const [v] = log.body.events;
    expect(v).toEqual({
      sessionId,
      seq: vitals.body.seq,
      type: 'vitals.recorded',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      actorId: patient.id,
      data: {
        readings: [
          { kind: 'bp_systolic', value: 132, measuredAt: at },
          { kind: 'bp_diastolic', value: 84, measuredAt: at },
        ],
      },
    });
    expect(log.body.headSeq).toBeGreaterThanOrEqual(vitals.body.seq + 1);
  });

  it('gives concurrent submissions to one session unique, gapless seq numbers', async () => {
    const before = (await http(t.url, 'GET', `/api/sessions/${sessionId}`, { token })).body
      .headSeq as number;
    const clinicianToken = (await login(t.url, clinician)).accessToken;
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post(
          i % 2 ? 'vitals' : 'check-ins',
          i % 2
            ? {
                clientId: `cc-${i}`,
                readings: [{ kind: 'heart_rate', value: 70 + (i % 10), measuredAt: at }],
              }
            : { clientId: `cc-${i}`, nausea: i % 10 },
          i % 3 ? token : clinicianToken,
        ),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    // Unique and after the head we read; the alert engine may append its own events in between.
    const seqs = results.map((r) => r.body.seq as number).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(60);
    expect(seqs[0]).toBeGreaterThan(before);
    const stored = await t.dataSource.query(
      `SELECT seq FROM session_events WHERE session_id = $1 ORDER BY seq`,
      [sessionId],
    );
    expect(stored.map((r: { seq: string }) => Number(r.seq))).toEqual(
      Array.from({ length: stored.length }, (_, i) => i + 1),
    );
  });

  it('retries of one submission racing each other store it once', async () => {
    const body = { clientId: 'race-1', anxiety: 4 };
    const results = await Promise.all(Array.from({ length: 10 }, () => post('check-ins', body)));
    const fresh = results.filter((r) => r.status === 201);
    expect(fresh).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(results.map((r) => r.body.seq)).size).toBe(1);
  });

  it('audits each submission in the same transaction as its event', async () => {
    const res = await post('check-ins', { clientId: 'audited-1', moaas: 5 });
    const rows = await t.dataSource.query(
      `SELECT * FROM audit_events WHERE action = 'checkin.submit' AND entity_id = $1 AND detail->>'clientId' = 'audited-1'`,
      [sessionId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: patient.id,
      outcome: 'success',
      patient_id: patient.patientId,
    });
    expect(Number(rows[0].detail.seq)).toBe(res.body.seq);
  });

  describe('bad input gets a 400 naming the field, never a 500, and stores nothing', () => {
    const reading = (over: object) => ({ kind: 'spo2', value: 97, measuredAt: at, ...over });
    const cases: Array<[string, string, unknown, RegExp]> = [
      ['check-ins', 'empty check-in', { clientId: 'b1' }, /^body: must contain at least one of/],
      ['check-ins', 'no client id', { moaas: 3 }, /^clientId: /],
      ['check-ins', 'moaas too high', { clientId: 'b2', moaas: 6 }, /^moaas: must be at most 5/],
      ['check-ins', 'moaas negative', { clientId: 'b2', moaas: -1 }, /^moaas: must be at least 0/],
      [
        'check-ins',
        'moaas fraction',
        { clientId: 'b2', moaas: 2.5 },
        /^moaas: must be a whole number/,
      ],
      ['check-ins', 'moaas as string', { clientId: 'b2', moaas: '5' }, /^moaas: must be a number/],
      ['check-ins', 'dissociation 11', { clientId: 'b3', dissociation: 11 }, /^dissociation: /],
      [
        'check-ins',
        'unknown symptom',
        { clientId: 'b4', symptoms: ['hiccups'] },
        /^symptoms\[0\]: must be one of/,
      ],
      [
        'check-ins',
        'note too long',
        { clientId: 'b5', note: 'x'.repeat(2001) },
        /^note: must be at most 2000/,
      ],
      [
        'check-ins',
        'bad takenAt',
        { clientId: 'b6', moaas: 5, takenAt: 'yesterday' },
        /^takenAt: /,
      ],
      [
        'check-ins',
        'unknown field',
        { clientId: 'b7', moaas: 5, sessionId: 'x' },
        /^sessionId: unknown field/,
      ],
      ['check-ins', 'client id with spaces', { clientId: 'a b', moaas: 5 }, /^clientId: /],
      ['check-ins', 'client id too long', { clientId: 'a'.repeat(101), moaas: 5 }, /^clientId: /],
      ['check-ins', 'array body', [1, 2], /^body: /],
      ['check-ins', 'null body', null, /^body: not valid JSON/],
      [
        'vitals',
        'no readings',
        { clientId: 'v2', readings: [] },
        /^readings: must contain at least one/,
      ],
      ['vitals', 'readings not array', { clientId: 'v2', readings: 'x' }, /^readings: /],
      [
        'vitals',
        'unknown kind',
        { clientId: 'v3', readings: [reading({ kind: 'glucose' })] },
        /^readings\[0\]\.kind: /,
      ],
      [
        'vitals',
        'spo2 over 100',
        { clientId: 'v4', readings: [reading({ value: 101 })] },
        /^readings\[0\]\.value: spo2 101 is outside/,
      ],
      [
        'vitals',
        'heart rate 19',
        { clientId: 'v5', readings: [reading({ kind: 'heart_rate', value: 19 })] },
        /^readings\[0\]\.value: heart_rate 19/,
      ],
      [
        'vitals',
        'temperature 46',
        { clientId: 'v5', readings: [reading({ kind: 'temperature', value: 46 })] },
        /^readings\[0\]\.value: temperature 46/,
      ],
      [
        'vitals',
        'value missing',
        { clientId: 'v6', readings: [{ kind: 'spo2', measuredAt: at }] },
        /^readings\[0\]\.value: /,
      ],
      [
        'vitals',
        'measuredAt missing',
        { clientId: 'v6', readings: [{ kind: 'spo2', value: 97 }] },
        /^readings\[0\]\.measuredAt: /,
      ],
      [
        'vitals',
        'value NaN-ish string',
        { clientId: 'v7', readings: [reading({ value: 'NaN' })] },
        /^readings\[0\]\.value: /,
      ],
      ['help', 'note not a string', { clientId: 'h9', note: 5 }, /^note: /],
    ];
    it.each(cases)('%s: %s', async (route, _name, body, message) => {
      const before = await t.dataSource.query(`SELECT head_seq FROM sessions WHERE id = $1`, [
        sessionId,
      ]);
      const res = await http(t.url, 'POST', `/api/sessions/${sessionId}/${route}`, {
        token,
        rawBody: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toMatch(message);
      const after = await t.dataSource.query(`SELECT head_seq FROM sessions WHERE id = $1`, [
        sessionId,
      ]);
      expect(after).toEqual(before);
    });

    it('answers malformed JSON, a wrong content type and an oversized body without a 500', async () => {
      const path = `/api/sessions/${sessionId}/check-ins`;
      const malformed = await http(t.url, 'POST', path, { token, rawBody: '{"clientId": "x", ' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.message).toBe('body: not valid JSON');
      const text = await http(t.url, 'POST', path, {
        token,
        rawBody: 'moaas=5',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(400);
      const huge = await http(t.url, 'POST', path, {
        token,
        rawBody: JSON.stringify({ clientId: 'big', note: 'x'.repeat(70_000) }),
      });
      expect(huge.status).toBe(413);
      expect(huge.body.message).toMatch(/^body: /);
    });

    it('answers odd paths and query strings without a 500', async () => {
      const probes = [
        `/api/sessions/not-a-uuid`,
        `/api/sessions/${sessionId}/events?after=-1`,
        `/api/sessions/${sessionId}/events?after=abc`,
        `/api/sessions/${sessionId}/events?limit=100000`,
        `/api/sessions/${sessionId}/events?after=1&after=2`,
        `/api/sessions?state=flying`,
        `/api/sessions?state=live&state=ended`,
        `/api/sessions/%E0%A4%A`,
      ];
      for (const path of probes) {
        const res = await http(t.url, 'GET', path, { token });
        expect([400, 404]).toContain(res.status);
        expect(typeof res.body.message).toBe('string');
      }
      const none = await http(t.url, 'GET', `/api/sessions/${sessionId}/events?limit=0`, { token });
      expect(none).toMatchObject({ status: 400, body: { message: 'limit: must be at least 1' } });
    });
  });
});
