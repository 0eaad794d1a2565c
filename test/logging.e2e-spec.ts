import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { assign, http, login, makeSession, makeUser } from './support/factories';
import { startApiProcess, waitFor, type ApiProcess } from './support/api-process';
import { createTestDatabase } from './support/test-app';

/**
 * The real entry point's stdout while a patient and a clinician use it over REST and the socket
 * at the most verbose level: JSON lines with request ids, and none of the health data, names or
 * secrets that went through it.
 */
describe('logs', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: ApiProcess;
  let ds: DataSource;
  const secrets: string[] = [];
  let requestId = '';
  let echoed = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApiProcess(db.url, { LOG_LEVEL: 'verbose' });
    await waitFor(
      'the API',
      async () => (await fetch(`${api.url}/api/health/live`)).status === 200,
      60_000,
      api.output,
    );
    ds = await new DataSource({ type: 'postgres', url: db.url }).initialize();
    const patient = await makeUser(ds, 'patient', 'Zebulon Quibblesworth');
    const clinician = await makeUser(ds, 'clinician', 'Dr Philomena Snodgrass');
    await assign(ds, clinician, patient);
    const sessionId = await makeSession(ds, { patient, clinician });
    const p = await login(api.url, patient);
    const c = await login(api.url, clinician);
    secrets.push(
      'Zebulon',
      'Quibblesworth',
      'Snodgrass',
      patient.email,
      p.accessToken,
      p.refreshToken,
      c.accessToken,
      'correct horse battery staple',
      'my-private-note-about-hallucinations',
      '38.7',
      '41.3',
    );
    requestId = `test-${randomUUID()}`;
    const checkIn = await fetch(`${api.url}/api/sessions/${sessionId}/check-ins`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${p.accessToken}`,
        'x-request-id': requestId,
      },
      body: JSON.stringify({
        clientId: randomUUID(),
        moaas: 4,
        note: 'my-private-note-about-hallucinations',
      }),
    });
    expect(checkIn.status).toBe(201);
    echoed = checkIn.headers.get('x-request-id') ?? '';
    const vitals = await http(api.url, 'POST', `/api/sessions/${sessionId}/vitals`, {
      token: p.accessToken,
      body: {
        clientId: randomUUID(),
        readings: [
          { kind: 'temperature', value: 38.7, measuredAt: new Date().toISOString() },
          {
            kind: 'temperature',
            value: 41.3,
            measuredAt: new Date(Date.now() - 1000).toISOString(),
          },
        ],
      },
    });
    expect(vitals.status).toBe(201);
    // Refused input is logged as a warning, without the body that was refused.
    const refused = await http(api.url, 'POST', `/api/sessions/${sessionId}/vitals`, {
      token: p.accessToken,
      body: { clientId: randomUUID(), readings: [{ kind: 'spo2', value: 187 }] },
    });
    expect(refused.status).toBe(400);
    await http(api.url, 'GET', `/api/sessions/${sessionId}/events?after=0`, {
      token: c.accessToken,
    });
    // The socket too: a watch and a check-in with a note.
    const socket = io(`${api.url}/live`, {
      auth: { token: c.accessToken },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    await socket.timeout(10_000).emitWithAck('session.watch', { sessionId, afterSeq: 0 });
    socket.disconnect();
    await new Promise((r) => setTimeout(r, 500)); // let the last lines flush
  }, 120_000);

  afterAll(async () => {
    await ds?.destroy();
    await api?.stop();
    await db?.drop();
  });

  const lines = () =>
    api
      .output()
      .split('\n')
      .filter((l) => l.trim());

  it('writes JSON lines to stdout', () => {
    const all = lines();
    expect(all.length).toBeGreaterThan(5);
    for (const line of all) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('echoes the caller request id, logs it with the request and writes it in the audit detail', async () => {
    expect(echoed).toBe(requestId);
    const logged = lines()
      .map((l) => JSON.parse(l) as { req?: { id?: string; path?: string }; res?: object })
      .filter((l) => l.req?.id === requestId);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged[0].req?.path).toMatch(/\/check-ins$/);
    const [row] = await ds.query(
      `SELECT detail FROM audit_events WHERE action = 'checkin.submit' ORDER BY seq DESC LIMIT 1`,
    );
    expect((row as { detail: { requestId?: string } }).detail.requestId).toBe(requestId);
  });

  it('gives every request a fresh id when the caller sends none', async () => {
    const res = await fetch(`${api.url}/api/health`);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('holds no patient name, email, vitals value, note, password or token', () => {
    const out = api.output();
    expect(secrets.filter((s) => out.includes(s))).toEqual([]);
    expect(out).not.toMatch(/Bearer /i);
  });
});
