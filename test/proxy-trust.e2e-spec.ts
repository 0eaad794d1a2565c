import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { assign, login, makeSession, makeUser } from './support/factories';
import { submitCheckIn, type LiveClient } from './support/live-client';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Behind a reverse proxy (deploy/nginx.conf, Caddy) the browser's Origin names the proxy's
 * host and port, and the socket's peer is the proxy. When the proxy is trusted (TRUST_PROXY),
 * the origin check honours X-Forwarded-Host and audit rows carry the X-Forwarded-For client.
 */
const PROXY_ORIGIN = 'http://localhost:8080';
const CLIENT_IP = '203.0.113.7';

async function scenario(t: TestApp) {
  const patient = await makeUser(t.dataSource, 'patient');
  const clinician = await makeUser(t.dataSource, 'clinician');
  await assign(t.dataSource, clinician, patient);
  const sessionId = await makeSession(t.dataSource, { patient, clinician });
  return { sessionId, token: (await login(t.url, patient)).accessToken };
}

/** A browser's socket as it arrives from the proxy: its Origin, the proxy's forwarded headers. */
function throughProxy(t: TestApp, token: string, headers: Record<string, string>): LiveClient {
  return io(`${t.url}/live`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { origin: PROXY_ORIGIN, ...headers },
  });
}

/** 'connected', or the connect_error message. */
function outcome(socket: LiveClient): Promise<string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err) => resolve(err.message));
  });
}

async function auditIpOf(t: TestApp, clientId: string): Promise<string | null> {
  const [row] = await t.dataSource.query(
    `SELECT source_ip AS ip FROM audit_events WHERE action = 'checkin.submit' AND detail->>'clientId' = $1`,
    [clientId],
  );
  return (row as { ip: string | null } | undefined)?.ip ?? null;
}

describe('behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  let t: TestApp;
  let s: Awaited<ReturnType<typeof scenario>>;
  const sockets: LiveClient[] = [];
  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    s = await scenario(t);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t.close();
  });

  it("accepts the browser's origin when the proxy forwards the host it was asked for", async () => {
    const socket = throughProxy(t, s.token, { 'x-forwarded-host': 'localhost:8080' });
    sockets.push(socket);
    expect(await outcome(socket)).toBe('connected');
  });

  it('still refuses an origin that is neither the forwarded host nor allowed', async () => {
    const socket = throughProxy(t, s.token, { 'x-forwarded-host': 'vigil.example.org' });
    sockets.push(socket);
    expect(await outcome(socket)).not.toBe('connected');
  });

  it('audits a socket action with the client address from X-Forwarded-For, not the proxy', async () => {
    const socket = throughProxy(t, s.token, {
      'x-forwarded-host': 'localhost:8080',
      'x-forwarded-for': CLIENT_IP,
    });
    sockets.push(socket);
    expect(await outcome(socket)).toBe('connected');
    const clientId = randomUUID();
    expect(await submitCheckIn(socket, s.sessionId, clientId)).toMatchObject({ ok: true });
    expect(await auditIpOf(t, clientId)).toBe(CLIENT_IP);
  });
});

describe('with the proxy not trusted', () => {
  let t: TestApp;
  let s: Awaited<ReturnType<typeof scenario>>;
  const sockets: LiveClient[] = [];
  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: '192.0.2.1' } });
    s = await scenario(t);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t.close();
  });

  it('ignores X-Forwarded-Host, so a forged one does not pass the origin check', async () => {
    const socket = throughProxy(t, s.token, { 'x-forwarded-host': 'localhost:8080' });
    sockets.push(socket);
    expect(await outcome(socket)).not.toBe('connected');
  });

  it('ignores X-Forwarded-For: the audit row names the peer', async () => {
    const socket = io(`${t.url}/live`, {
      auth: { token: s.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { 'x-forwarded-for': CLIENT_IP },
    });
    sockets.push(socket);
    expect(await outcome(socket)).toBe('connected');
    const clientId = randomUUID();
    expect(await submitCheckIn(socket, s.sessionId, clientId)).toMatchObject({ ok: true });
    expect(await auditIpOf(t, clientId)).toBe('127.0.0.1');
  });
});
