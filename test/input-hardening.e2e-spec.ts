import { http, login } from './support/factories';
import { setupLive } from './support/live-fixture';
import {
  connectLive,
  connected,
  recordEvents,
  submitCheckIn,
  until,
  type LiveClient,
} from './support/live-client';
import { rawLive } from './support/raw-socket';
import type { TestApp } from './support/test-app';

/** Text PostgreSQL cannot store, dates it cannot hold, ids in another case: 400s, never 500s. */
describe('input hardening', () => {
  let t: TestApp;
  let sessionId: string;
  let tokens: Awaited<ReturnType<typeof setupLive>>['tokens'];
  let patientEmail: string;
  const sockets: LiveClient[] = [];

  const open = async (token: string) => {
    const s = connectLive(t.url, token);
    sockets.push(s);
    await connected(s);
    return s;
  };

  beforeAll(async () => {
    const live = await setupLive();
    ({ t, sessionId, tokens } = live);
    patientEmail = live.patient.email;
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  describe.each([
    ['a NUL character', 'before\u0000after'],
    ['a lone high surrogate', 'before\ud800after'],
    ['a lone low surrogate', '\udc00'],
  ])('%s', (_label, bad) => {
    it('in a check-in note is a 400 naming the field', async () => {
      const res = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
        token: tokens.patient,
        body: { clientId: `bad-note-${bad.length}`, note: bad },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^note: /);
    });

    it('in a login email or password is a 400, not a 500', async () => {
      for (const body of [
        { email: bad, password: 'whatever-it-is' },
        { email: patientEmail, password: bad },
      ]) {
        const res = await http(t.url, 'POST', '/api/auth/login', { body });
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/^(email|password): /);
      }
    });

    it('in an object key or a nested reading is a 400 naming it', async () => {
      const key = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
        token: tokens.patient,
        body: { clientId: 'bad-key', [bad]: 1 },
      });
      expect(key.status).toBe(400);
      const nested = await http(t.url, 'POST', `/api/sessions/${sessionId}/vitals`, {
        token: tokens.patient,
        body: {
          clientId: 'bad-kind',
          readings: [{ kind: bad, value: 1, measuredAt: new Date().toISOString() }],
        },
      });
      expect(nested.status).toBe(400);
      expect(nested.body.message).toMatch(/^readings\[0\]\.kind: /);
    });

    it('over the socket is a final invalid ack naming the field, and the socket stays up', async () => {
      const p = await open(tokens.patient);
      const ack = await p.timeout(5000).emitWithAck('checkin.submit', {
        sessionId,
        clientId: 'bad-socket-note',
        note: bad,
      });
      expect(ack).toMatchObject({ ok: false, error: { code: 'invalid' } });
      if (!ack.ok) expect(ack.error.message).toMatch(/^note: /);
      expect(await submitCheckIn(p, sessionId, `after-bad-${bad.length}`)).toMatchObject({
        ok: true,
      });
    });
  });

  describe('a value nested 10,000 deep (20 KB, under the body limit)', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);

    it('in a check-in or a login body is a 400 naming the field, not a 500', async () => {
      const checkIn = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
        token: tokens.patient,
        rawBody: `{"clientId":"deep-rest","note":${deep}}`,
      });
      expect(checkIn.status).toBe(400);
      expect(checkIn.body.message).toMatch(/^note(\[0\])+: must not nest arrays and objects/);
      // Before any token is checked.
      const loginDeep = await http(t.url, 'POST', '/api/auth/login', {
        rawBody: `{"email":${deep},"password":"x"}`,
      });
      expect(loginDeep.status).toBe(400);
      expect(loginDeep.body.message).toMatch(/^email(\[0\])+: must not nest/);
    });

    it('over the socket is a final invalid ack naming the field, and the socket stays up', async () => {
      const raw = await rawLive(t.url, tokens.patient);
      try {
        const ack = await raw.emit(
          'checkin.submit',
          `{"sessionId":"${sessionId}","clientId":"deep-socket","note":${deep}}`,
        );
        expect(ack).toMatchObject({
          ok: false,
          error: { code: 'invalid', message: expect.stringMatching(/^note(\[0\])+: must not/) },
        });
        const after = await raw.emit(
          'checkin.submit',
          JSON.stringify({ sessionId, clientId: 'after-deep-socket', moaas: 5 }),
        );
        expect(after).toMatchObject({ ok: true });
      } finally {
        raw.close();
      }
    });
  });

  it('refuses a NUL in a query string with a 400 naming it (a URL cannot carry lone surrogates)', async () => {
    const res = await http(t.url, 'GET', `/api/supervisor/sessions?state=live%00`, {
      token: tokens.supervisor,
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^query\.state: /);
  });

  it('refuses year-0000 dates in supervisor filters with a 400 naming the filter', async () => {
    for (const [name, value] of [
      ['from', '0000-01-01T00:00:00Z'],
      ['to', '0000-12-31T23:59:59Z'],
    ]) {
      const res = await http(t.url, 'GET', `/api/supervisor/sessions?${name}=${value}`, {
        token: tokens.supervisor,
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(new RegExp(`^${name}: `));
      const figures = await http(t.url, 'GET', `/api/supervisor/alert-figures?${name}=${value}`, {
        token: tokens.supervisor,
      });
      expect(figures.status).toBe(400);
    }
  });

  it('refuses a year-0000 takenAt on a check-in with a 400', async () => {
    const res = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
      token: tokens.patient,
      body: { clientId: 'year-zero', moaas: 5, takenAt: '0000-01-01T00:00:00Z' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^takenAt: /);
  });

  it('treats an upper-case session id over the socket as the same session', async () => {
    const c = await open(tokens.clinician);
    const seen = recordEvents(c);
    const upper = sessionId.toUpperCase();
    const ack = await c
      .timeout(5000)
      .emitWithAck('session.watch', { sessionId: upper, afterSeq: 0 });
    expect(ack.ok).toBe(true);
    const p = await open(tokens.patient);
    const submitted = await p.timeout(5000).emitWithAck('checkin.submit', {
      sessionId: upper,
      clientId: `upper-${Date.now()}`,
      moaas: 5,
    });
    expect(submitted).toMatchObject({ ok: true });
    await until(() => seen.some((e) => e.type === 'checkin.recorded'), 5000, 'live event');
    expect(seen.every((e) => e.sessionId === sessionId)).toBe(true);
  });

  describe('readings dated ahead of the server clock', () => {
    const ahead = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();

    it('refuses over REST a reading more than a day ahead (a broken clock), naming the reading', async () => {
      const res = await http(t.url, 'POST', `/api/sessions/${sessionId}/vitals`, {
        token: tokens.patient,
        body: {
          clientId: 'future-rest',
          readings: [
            { kind: 'spo2', value: 97, measuredAt: ahead(0) },
            { kind: 'spo2', value: 97, measuredAt: '9999-12-31T23:59:59Z' },
          ],
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(
        /^readings\[1\]\.measuredAt: 9999-12-31T23:59:59Z is more than a day ahead .*check the phone's date and time$/,
      );
    });

    it('refuses it over the socket with a final invalid ack, and takes a phone clock hours fast', async () => {
      const p = await open(tokens.patient);
      const refused = await p.timeout(5000).emitWithAck('vitals.submit', {
        sessionId,
        clientId: 'future-socket',
        readings: [{ kind: 'heart_rate', value: 80, measuredAt: ahead(25 * 3_600_000) }],
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid' } });
      if (!refused.ok) expect(refused.error.message).toMatch(/^readings\[0\]\.measuredAt: /);
      const skewed = await p.timeout(5000).emitWithAck('vitals.submit', {
        sessionId,
        clientId: 'skew-socket',
        // v1.12: a phone 3 hours fast (set in the wrong zone); before, 2 minutes were refused.
        readings: [{ kind: 'heart_rate', value: 80, measuredAt: ahead(3 * 3_600_000) }],
      });
      expect(skewed).toMatchObject({ ok: true });
    });

    it('takes a check-in from a phone an hour fast, and refuses one dated a day ahead', async () => {
      const fast = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
        token: tokens.patient,
        body: { clientId: 'fast-checkin', moaas: 1, takenAt: ahead(3_600_000) },
      });
      expect(fast.status).toBe(201);
      const res = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
        token: tokens.patient,
        body: { clientId: 'future-checkin', moaas: 5, takenAt: ahead(25 * 3_600_000) },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^takenAt: /);
    });

    it('refuses readings whose sentAt is a day ahead or no date-time, naming sentAt; takes one an hour fast (v1.14)', async () => {
      const send = (clientId: string, sentAt: string) =>
        http(t.url, 'POST', `/api/sessions/${sessionId}/vitals`, {
          token: tokens.patient,
          body: { clientId, readings: [{ kind: 'spo2', value: 97, measuredAt: ahead(0) }], sentAt },
        });
      const future = await send('sent-future', ahead(25 * 3_600_000));
      expect(future.status).toBe(400);
      expect(future.body.message).toMatch(/^sentAt: .* is more than a day ahead /);
      const garbled = await send('sent-garbled', 'yesterday');
      expect(garbled.status).toBe(400);
      expect(garbled.body.message).toMatch(/^sentAt: must be an ISO 8601 date-time/);
      expect((await send('sent-fast', ahead(3_600_000))).status).toBe(201);
      const p = await open(tokens.patient);
      const refused = await p.timeout(5000).emitWithAck('vitals.submit', {
        sessionId,
        clientId: 'sent-future-socket',
        readings: [{ kind: 'spo2', value: 97, measuredAt: ahead(0) }],
        sentAt: ahead(25 * 3_600_000),
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid' } });
      if (!refused.ok) expect(refused.error.message).toMatch(/^sentAt: /);
    });
  });

  it('login with the right password still works after all of that', async () => {
    expect((await login(t.url, { email: patientEmail })).accessToken).toBeTruthy();
  });
});
