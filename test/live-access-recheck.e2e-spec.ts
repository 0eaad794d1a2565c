import { VigilMetrics } from '../apps/api/src/modules/metrics/vigil-metrics';
import { LiveAccessRecheck } from '../apps/api/src/modules/realtime/live-access-recheck';
import { assign, login, makeUser, type TestUser } from './support/factories';
import { setupLive } from './support/live-fixture';
import {
  connectLive,
  connected,
  disconnected,
  recordEvents,
  sleep,
  submitCheckIn,
  until,
  watch,
  type LiveClient,
} from './support/live-client';
import { createTestApp, type TestApp } from './support/test-app';

// A revocation announced on another instance travels through Redis at most once: with Redis down
// or stalled it never arrives here. These tests make that happen by changing the database without
// the announcement, as the other instance's lost message would leave it, and hold this instance
// to ending what the change revoked at its next access re-check (LiveAccessRecheck).
describe('live access re-check: revocations this instance was never told of', () => {
  let t: TestApp;
  let patient: TestUser;
  let sessionId: string;
  let tokens: Record<'patient' | 'clinician' | 'supervisor', string>;
  const sockets: LiveClient[] = [];

  const open = async (token: string) => {
    const s = connectLive(t.url, token);
    sockets.push(s);
    await connected(s);
    return s;
  };
  const clinicianSocket = async () => {
    const user = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, user, patient);
    return { user, socket: await open((await login(t.url, user)).accessToken) };
  };

  beforeAll(async () => {
    // The timer never fires during these tests: each pass is called and its answer checked.
    ({ t, patient, sessionId, tokens } = await setupLive({ LIVE_ACCESS_RECHECK_SECONDS: '3600' }));
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  it("stops a clinician's watch once their assignment ended unannounced, and only theirs", async () => {
    const ended = await clinicianSocket();
    const kept = await open(tokens.clinician); // assigned to the same patient, still
    const endedLive = recordEvents(ended.socket);
    const keptLive = recordEvents(kept);
    const phone = await open(tokens.patient);
    for (const s of [ended.socket, kept])
      expect(await watch(s, sessionId, 1_000_000)).toMatchObject({ ok: true }); // from the head
    await submitCheckIn(phone, sessionId, `recheck-1-${Date.now()}`);
    await until(() => endedLive.length === 1 && keptLive.length === 1);

    await t.dataSource.query(
      `UPDATE clinician_assignments SET valid_until = valid_from + interval '1 millisecond' WHERE clinician_id = $1`,
      [ended.user.id],
    );
    // Not told: the watch goes on delivering (what the re-check exists for).
    await submitCheckIn(phone, sessionId, `recheck-2-${Date.now()}`);
    await until(() => endedLive.length === 2 && keptLive.length === 2);

    expect(await t.app.get(LiveAccessRecheck).recheck()).toEqual({ sockets: 0, watches: 1 });
    await submitCheckIn(phone, sessionId, `recheck-3-${Date.now()}`);
    await until(() => keptLive.length === 3);
    await sleep(300);
    expect(endedLive).toHaveLength(2);
    expect(ended.socket.connected).toBe(true); // the login is still good: only the watch ends
    expect(await watch(ended.socket, sessionId, 0)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('ends the sockets of an account deactivated, a token version bumped or a login revoked, and no others', async () => {
    const deactivated = await clinicianSocket();
    const bumped = await clinicianSocket();
    const loggedOut = await clinicianSocket();
    const untouched = await clinicianSocket();
    const phone = await open(tokens.patient);
    const gone = [deactivated, bumped, loggedOut].map(({ socket }) => disconnected(socket, 5000));

    await t.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [
      deactivated.user.id,
    ]);
    await t.dataSource.query(`UPDATE users SET token_version = token_version + 1 WHERE id = $1`, [
      bumped.user.id,
    ]);
    await t.dataSource.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1`, [
      loggedOut.user.id,
    ]);
    const metrics = t.app.get(VigilMetrics);
    const before = await revokedSockets(metrics);

    expect(await t.app.get(LiveAccessRecheck).recheck()).toEqual({ sockets: 3, watches: 0 });
    await Promise.all(gone);
    expect(untouched.socket.connected).toBe(true);
    expect(phone.connected).toBe(true);
    expect((await revokedSockets(metrics)) - before).toBe(3);
    // Nothing left to end: a second pass finds nothing.
    expect(await t.app.get(LiveAccessRecheck).recheck()).toEqual({ sockets: 0, watches: 0 });
  });
});

describe('live access re-check on its timer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LIVE_ACCESS_RECHECK_SECONDS: '1' } });
  });
  afterAll(() => t.close());

  it('ends the socket of an account deactivated unannounced within the period', async () => {
    const user = await makeUser(t.dataSource, 'clinician');
    const s = connectLive(t.url, (await login(t.url, user)).accessToken);
    await connected(s);
    const started = Date.now();
    await t.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [user.id]);
    await disconnected(s, 5000);
    expect(Date.now() - started).toBeLessThan(2500);
  });
});

async function revokedSockets(metrics: VigilMetrics): Promise<number> {
  const metric = await metrics.revokedByRecheck.get();
  return metric.values.find((v) => v.labels.what === 'socket')?.value ?? 0;
}
