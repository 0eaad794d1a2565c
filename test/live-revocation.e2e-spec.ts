import { eventsOf } from '@vigil/contracts';
import { ManualClock } from '../apps/api/src/common/clock';
import { ClinicalWatchdogService } from '../apps/api/src/modules/alerts/clinical-watchdog.service';
import { PresenceService } from '../apps/api/src/modules/presence/presence.service';

import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { at, setupLive } from './support/live-fixture';
import {
  connectError,
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

describe('live pipeline over /live: revocation, board, presence', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;
  let sessionId: string;
  let tokens: Record<'patient' | 'clinician' | 'stranger' | 'supervisor', string>;
  const sockets: LiveClient[] = [];

  const open = async (token: string) => {
    const s = connectLive(t.url, token);
    sockets.push(s);
    await connected(s);
    return s;
  };

  beforeAll(async () => {
    ({ t, patient, clinician, sessionId, tokens } = await setupLive());
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  describe('revocation', () => {
    it('logout disconnects every socket of that user', async () => {
      const user = await makeUser(t.dataSource, 'clinician');
      const { accessToken } = await login(t.url, user);
      const a = await open(accessToken);
      const b = await open(accessToken);
      const gone = Promise.all([disconnected(a, 5000), disconnected(b, 5000)]);
      expect((await http(t.url, 'POST', '/api/auth/logout', { token: accessToken })).status).toBe(
        204,
      );
      await gone;
      const again = connectLive(t.url, accessToken);
      sockets.push(again);
      expect(await connectError(again)).toBe('unauthorized');
    });

    it("an ended assignment stops the clinician's watch at once", async () => {
      const doc = await makeUser(t.dataSource, 'clinician');
      const assignmentId = await assign(t.dataSource, doc, patient);
      const c = await open((await login(t.url, doc)).accessToken);
      const live = recordEvents(c);
      const p = await open(tokens.patient);
      expect(await watch(c, sessionId, 1_000_000)).toMatchObject({ ok: true }); // ahead of head: restarts there
      await submitCheckIn(p, sessionId, `before-revoke-${Date.now()}`);
      await until(() => live.length === 1);
      const res = await http(t.url, 'POST', `/api/admin/assignments/${assignmentId}/end`, {
        token: tokens.supervisor,
      });
      expect(res.status).toBe(201);
      await sleep(200);
      await submitCheckIn(p, sessionId, `after-revoke-${Date.now()}`);
      await sleep(300);
      expect(live).toHaveLength(1);
      expect(await watch(c, sessionId, 0)).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
    });
  });

  describe('board and presence', () => {
    it('sends board summaries to the assigned clinician and supervisors only', async () => {
      const mine = await open(tokens.clinician);
      const boss = await open(tokens.supervisor);
      const other = await open(tokens.stranger);
      const boards = { mine: [] as unknown[], boss: [] as unknown[], other: [] as unknown[] };
      mine.on('board.updated', (b) => boards.mine.push(b));
      boss.on('board.updated', (b) => boards.boss.push(b));
      other.on('board.updated', (b) => boards.other.push(b));
      const p = await open(tokens.patient);
      await p.timeout(5000).emitWithAck('vitals.submit', {
        sessionId,
        clientId: `board-${Date.now()}`,
        readings: [{ kind: 'spo2', value: 95, measuredAt: at }],
      });
      await until(() => boards.mine.length > 0 && boards.boss.length > 0, 3000, 'board updates');
      await sleep(300);
      expect(boards.other).toEqual([]);
      expect(boards.mine.at(-1)).toMatchObject({
        sessionId,
        latestVitals: { spo2: { value: 95, measuredAt: at } },
      });
    });

    it('shows the device silent 25 s after its last heartbeat and raises one device_offline alert at 60 s, never re-sent', async () => {
      const patient2 = await makeUser(t.dataSource, 'patient');
      await assign(t.dataSource, clinician, patient2);
      const sid = await makeSession(t.dataSource, { patient: patient2, clinician });
      const p = await open((await login(t.url, patient2)).accessToken);
      expect(await p.timeout(5000).emitWithAck('presence.heartbeat', { sessionId: sid })).toEqual({
        ok: true,
      });
      expect(await p.timeout(5000).emitWithAck('presence.heartbeat', { sessionId: sid })).toEqual({
        ok: true,
      });
      const c = await open(tokens.clinician);
      const seen = recordEvents(c);
      const ack = await watch(c, sid, 0);
      if (!ack.ok) throw new Error('watch failed');
      expect(
        ack.events.map((e) => [e.type, e.type === 'presence.changed' && e.data.presence]),
      ).toEqual([['presence.changed', 'online']]);
      const clock = t.clock as ManualClock;
      const presence = t.app.get(PresenceService);
      const watchdog = t.app.get(ClinicalWatchdogService);
      const presenceOf = async () =>
        (await t.dataSource.query(`SELECT device_presence FROM sessions WHERE id = $1`, [sid]))[0]
          .device_presence;
      // The phone beats every 15 s: one beat missed by 10 s is "no signal" on the board ...
      clock.advance(24_000);
      await presence.sweep();
      expect(await presenceOf()).toBe('online');
      clock.advance(2_000);
      expect(await presence.sweep()).toBeGreaterThanOrEqual(1);
      expect(await presenceOf()).toBe('silent');
      expect(await presence.sweep()).toBe(0);
      await until(() => seen.length > 0, 5000, 'presence silent on the board');
      expect(seen[0]).toMatchObject({ type: 'presence.changed', data: { presence: 'silent' } });
      // ... while the alarm keeps CLINICAL.md's 60 s.
      await watchdog.tick();
      await sleep(200);
      expect(seen.filter((e) => e.type === 'alert.raised')).toEqual([]);
      clock.advance(35_000);
      await watchdog.tick();
      await until(() => seen.some((e) => e.type === 'alert.raised'), 5000, 'device offline alert');
      // CLINICAL.md: device offline (no heartbeat for 60 s) is a low, technical alert ...
      const raised = eventsOf(seen, 'alert.raised')[0];
      expect(raised.data).toMatchObject({
        condition: 'device_offline',
        priority: 'low',
        message: 'Phone silent over 60 s',
      });
      // ... raised once per silence: ten minutes of watchdog ticks and sweeps send nothing more.
      for (let minute = 0; minute < 10; minute++) {
        clock.advance(60_000);
        await presence.sweep();
        await watchdog.tick();
      }
      await sleep(300);
      const offlineEvents = seen.filter((e) => {
        const d = e.data as { condition?: string; alertId?: string };
        return (
          e.type.startsWith('alert.') &&
          (d.condition === 'device_offline' || d.alertId === raised.data.alertId)
        );
      });
      expect(offlineEvents.map((e) => e.type)).toEqual(['alert.raised']);
      const rows = await t.dataSource.query(
        `SELECT status FROM alerts WHERE session_id = $1 AND condition = 'device_offline'`,
        [sid],
      );
      expect(rows).toEqual([{ status: 'open' }]);
      // ... which resolves itself when the device is heard again.
      expect(await p.timeout(5000).emitWithAck('presence.heartbeat', { sessionId: sid })).toEqual({
        ok: true,
      });
      await until(
        () => seen.some((e) => e.type === 'alert.resolved'),
        5000,
        'device offline resolved',
      );
      expect(seen.find((e) => e.type === 'alert.resolved')!.data).toMatchObject({
        alertId: raised.data.alertId,
      });
      const stranger2 = await open(tokens.stranger);
      expect(
        await stranger2.timeout(5000).emitWithAck('presence.heartbeat', { sessionId: sid }),
      ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    });
  });
});

describe('token expiry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '5' } });
  });
  afterAll(() => t.close());

  it('disconnects a socket when its token expires', async () => {
    const user = await makeUser(t.dataSource, 'clinician');
    const s = connectLive(t.url, (await login(t.url, user)).accessToken);
    await connected(s);
    const started = Date.now();
    await disconnected(s, 9000);
    expect(Date.now() - started).toBeLessThan(6500);
  });
});
