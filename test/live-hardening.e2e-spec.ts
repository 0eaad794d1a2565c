import { AuthService } from '../apps/api/src/modules/auth/auth.service';
import { assign, auditRows, http, login, makeSession, makeUser } from './support/factories';
import {
  connectError,
  connectLive,
  connected,
  disconnected,
  sleep,
  submitCheckIn,
  until,
  type LiveClient,
} from './support/live-client';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Socket hardening: access decided again after the handshake, rate limits that a reconnect does
 * not reset, and every socket denial on the audit trail.
 */
describe('live socket hardening', () => {
  let t: TestApp;
  const sockets: LiveClient[] = [];
  const open = (token: string) => {
    const s = connectLive(t.url, token);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await createTestApp({
      env: { SOCKET_RATE_LIMIT_PER_SECOND: '1', SOCKET_RATE_LIMIT_BURST: '5' },
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  async function patientWithSession() {
    const patient = await makeUser(t.dataSource, 'patient');
    const clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    const sessionId = await makeSession(t.dataSource, { patient, clinician });
    return { patient, clinician, sessionId };
  }

  /** Holds the handshake's token check until `release()`, as a slow database would. */
  function holdHandshake() {
    const auth = t.app.get(AuthService);
    const original = auth.authenticate.bind(auth);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = false;
    jest.spyOn(auth, 'authenticate').mockImplementation(async (token) => {
      const result = await original(token);
      if (!held) {
        held = true;
        await gate;
      }
      return result;
    });
    return { release, entered: () => held };
  }

  it.each(['logout', 'deactivation'])(
    'a socket whose handshake is in flight during %s does not survive it',
    async (how) => {
      const { patient, sessionId } = await patientWithSession();
      const supervisor = await makeUser(t.dataSource, 'supervisor');
      const { accessToken } = await login(t.url, patient);
      const hold = holdHandshake();
      const s = open(accessToken);
      await until(hold.entered, 5000, 'handshake in flight');
      if (how === 'logout') {
        expect((await http(t.url, 'POST', '/api/auth/logout', { token: accessToken })).status).toBe(
          204,
        );
      } else {
        const sup = await login(t.url, supervisor);
        const res = await http(t.url, 'POST', `/api/admin/accounts/${patient.id}/deactivate`, {
          token: sup.accessToken,
        });
        expect(res.status).toBeLessThan(300);
      }
      hold.release();
      // Either refused outright or cut at once; never a working socket.
      const outcome = await Promise.race([
        connected(s).then(
          () => 'connected',
          () => 'refused',
        ),
        sleep(3000).then(() => 'timeout'),
      ]);
      if (outcome === 'connected') {
        await disconnected(s, 3000);
        const ack = await s
          .timeout(1000)
          .emitWithAck('checkin.submit', { sessionId, clientId: 'after-revoke', moaas: 5 })
          .catch(() => 'no answer');
        expect(ack).toBe('no answer');
      } else {
        expect(outcome).toBe('refused');
      }
      if (outcome === 'connected') {
        await sleep(300); // the denial is written off the socket's path
        const rows = await auditRows(t.dataSource, {
          action: 'live.handshake',
          actorId: patient.id,
        });
        expect(rows).toHaveLength(1);
      }
    },
  );

  it('does not give a reconnecting client a fresh burst', async () => {
    const { patient, sessionId } = await patientWithSession();
    const { accessToken } = await login(t.url, patient);
    const first = open(accessToken);
    await connected(first);
    // Sent together: one after another, on a loaded machine, the seconds between them refilled
    // the bucket (rate 1/s) and a sixth was let through.
    const acks = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => submitCheckIn(first, sessionId, `burst-${i}`)),
    );
    expect(acks.filter((a) => a.ok)).toHaveLength(5);
    first.disconnect();
    const second = open(accessToken);
    await connected(second);
    const again = await submitCheckIn(second, sessionId, 'after-reconnect');
    expect(again).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('audits failed handshakes, refused heartbeats and flood disconnects', async () => {
    const refused = open('not-a-token');
    expect(await connectError(refused)).toBe('unauthorized');

    const { sessionId } = await patientWithSession();
    const other = await patientWithSession();
    const { accessToken } = await login(t.url, other.patient);
    const s = open(accessToken);
    await connected(s);
    const hb = await s.timeout(5000).emitWithAck('presence.heartbeat', { sessionId });
    expect(hb).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // Flood past the strikes until the server cuts the socket.
    const gone = disconnected(s, 10_000);
    for (let i = 0; i < 120 && s.connected; i++)
      s.emit('presence.heartbeat', { sessionId: other.sessionId });
    await gone;

    const poll = async (action: string, actorId?: string) => {
      for (let i = 0; i < 50; i++) {
        const rows = await auditRows(t.dataSource, { action, outcome: 'denied', actorId });
        if (rows.length > 0) return rows;
        await sleep(100);
      }
      return [];
    };
    const handshakes = await poll('live.handshake');
    expect(
      handshakes.some((r: { detail: { reason?: string } }) => r.detail.reason === 'invalid_token'),
    ).toBe(true);
    expect(await poll('presence.heartbeat', other.patient.id)).toHaveLength(1);
    expect(await poll('live.flood_disconnect', other.patient.id)).not.toHaveLength(0);
  });

  it('answers a handshake the database could not check with unavailable, not unauthorized, and the same token connects once it answers', async () => {
    const { patient, sessionId } = await patientWithSession();
    const { accessToken } = await login(t.url, patient);
    // A real database error in the token check: the accounts table is not there for a moment.
    await t.dataSource.query('ALTER TABLE users RENAME TO users_away');
    let answer: string;
    try {
      answer = await connectError(open(accessToken));
    } finally {
      await t.dataSource.query('ALTER TABLE users_away RENAME TO users');
    }
    // `unauthorized` would send a dashboard to log in again and retire a device's credential.
    expect(answer).toBe('unavailable');
    const again = open(accessToken);
    await connected(again);
    expect(await submitCheckIn(again, sessionId, 'after-outage')).toMatchObject({ ok: true });
    const audited = async () => {
      for (let i = 0; i < 50; i++) {
        const rows = await auditRows(t.dataSource, { action: 'live.handshake', outcome: 'denied' });
        if (rows.some((r: { detail: { reason?: string } }) => r.detail.reason === 'error'))
          return true;
        await sleep(100);
      }
      return false;
    };
    expect(await audited()).toBe(true);
  });

  it('takes heartbeats from the session’s own patient only: staff who see it are refused, others told not found', async () => {
    const { patient, clinician, sessionId } = await patientWithSession();
    const stranger = await makeUser(t.dataSource, 'clinician');
    const beat = async (user: typeof patient) => {
      const s = open((await login(t.url, user)).accessToken);
      await connected(s);
      return s.timeout(5000).emitWithAck('presence.heartbeat', { sessionId });
    };
    expect(await beat(patient)).toEqual({ ok: true });
    expect(await beat(clinician)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await beat(stranger)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const denied = await auditRows(t.dataSource, {
      action: 'presence.heartbeat',
      outcome: 'denied',
      entityId: sessionId,
    });
    expect(denied.map((r: { actor_id: string }) => r.actor_id).sort()).toEqual(
      [clinician.id, stranger.id].sort(),
    );
  });
});
