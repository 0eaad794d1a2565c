import { createHmac } from 'node:crypto';
import { io } from 'socket.io-client';
import { ManualClock } from '../apps/api/src/common/clock';
import { PresenceService } from '../apps/api/src/modules/presence/presence.service';
import type { SessionEvent } from '@vigil/contracts';
import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
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
import { createTestApp, TEST_SECRET, type TestApp } from './support/test-app';

const at = '2026-11-26T10:00:00.000Z';

function forge(header: object, payload: object, secret: string | null): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${b64(header)}.${b64(payload)}`;
  return `${unsigned}.${secret === null ? '' : createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

function expectGapless(events: SessionEvent[], from: number, to: number) {
  expect(events.map((e) => e.seq)).toEqual(
    Array.from({ length: to - from + 1 }, (_, i) => from + i),
  );
}

describe('live pipeline over /live (real sockets, real PostgreSQL)', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;
  let stranger: TestUser;
  let supervisor: TestUser;
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
    t = await createTestApp();
    patient = await makeUser(t.dataSource, 'patient');
    clinician = await makeUser(t.dataSource, 'clinician');
    stranger = await makeUser(t.dataSource, 'clinician');
    supervisor = await makeUser(t.dataSource, 'supervisor');
    await assign(t.dataSource, clinician, patient);
    sessionId = await makeSession(t.dataSource, { patient, clinician });
    tokens = {
      patient: (await login(t.url, patient)).accessToken,
      clinician: (await login(t.url, clinician)).accessToken,
      stranger: (await login(t.url, stranger)).accessToken,
      supervisor: (await login(t.url, supervisor)).accessToken,
    };
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  describe('handshake', () => {
    it.each([
      ['no token', () => undefined],
      ['a garbage token', () => 'not-a-jwt'],
      [
        'an alg:none token',
        () =>
          forge(
            { alg: 'none' },
            {
              sub: clinician.id,
              role: 'clinician',
              tv: 0,
              exp: Math.floor(Date.now() / 1000) + 600,
            },
            null,
          ),
      ],
      [
        'a token signed with another key',
        () =>
          forge(
            { alg: 'HS256' },
            {
              sub: clinician.id,
              role: 'clinician',
              tv: 0,
              exp: Math.floor(Date.now() / 1000) + 600,
            },
            'x'.repeat(40),
          ),
      ],
      [
        'an expired token',
        () =>
          forge(
            { alg: 'HS256' },
            { sub: clinician.id, role: 'clinician', tv: 0, exp: Math.floor(Date.now() / 1000) - 5 },
            TEST_SECRET,
          ),
      ],
    ])('refuses %s with connect_error unauthorized and no events', async (_name, token) => {
      const s = connectLive(t.url, token());
      sockets.push(s);
      const seen = recordEvents(s);
      expect(await connectError(s)).toBe('unauthorized');
      expect(seen).toEqual([]);
    });

    it('refuses a deactivated account', async () => {
      const gone = await makeUser(t.dataSource, 'clinician');
      const token = (await login(t.url, gone)).accessToken;
      await t.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [gone.id]);
      const s = connectLive(t.url, token);
      sockets.push(s);
      expect(await connectError(s)).toBe('unauthorized');
    });

    it('refuses a browser handshake from a foreign origin', async () => {
      const s = io(`${t.url}/live`, {
        auth: { token: tokens.clinician },
        transports: ['polling'],
        reconnection: false,
        forceNew: true,
        extraHeaders: { origin: 'https://evil.example' },
      });
      sockets.push(s);
      await expect(connected(s as LiveClient)).rejects.toThrow();
    });
  });

  describe('watching', () => {
    it('answers forbidden to a clinician who is not assigned, and not_found for a session that does not exist', async () => {
      const s = await open(tokens.stranger);
      const seen = recordEvents(s);
      expect(await watch(s, sessionId)).toEqual({
        ok: false,
        error: { code: 'forbidden', message: expect.any(String) },
      });
      expect(await watch(s, '00000000-0000-4000-8000-000000000001')).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
      const p = await open(tokens.patient);
      expect(await submitCheckIn(p, sessionId, `forbidden-probe-${Date.now()}`)).toMatchObject({
        ok: true,
      });
      await sleep(200);
      expect(seen).toEqual([]);
    });

    it("a patient cannot submit to or watch another patient's session", async () => {
      const other = await makeUser(t.dataSource, 'patient');
      const s = await open((await login(t.url, other)).accessToken);
      expect(await submitCheckIn(s, sessionId, 'intruder-1')).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
      expect(await watch(s, sessionId)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    });

    it('sends the backlog in the ack, then each new event exactly once, after commit', async () => {
      const p = await open(tokens.patient);
      const first = await submitCheckIn(p, sessionId, `bk-${Date.now()}`);
      if (!first.ok) throw new Error('submit failed');
      const c = await open(tokens.clinician);
      const live = recordEvents(c);
      const ack = await watch(c, sessionId, first.seq - 1);
      if (!ack.ok) throw new Error('watch failed');
      expect(ack.events.map((e) => e.seq)).toEqual([first.seq]);
      expect(ack.headSeq).toBe(first.seq);
      const second = await submitCheckIn(p, sessionId, `bk2-${Date.now()}`, { nausea: 3 });
      if (!second.ok) throw new Error('submit failed');
      await until(() => live.length === 1, 5000, 'live event');
      expect(live[0]).toMatchObject({
        sessionId,
        seq: second.seq,
        type: 'checkin.recorded',
        actorId: patient.id,
        data: { nausea: 3 },
      });
      const stored = await t.dataSource.query(
        `SELECT 1 FROM session_events WHERE session_id = $1 AND seq = $2`,
        [sessionId, second.seq],
      );
      expect(stored).toHaveLength(1);
    });

    it('acks a retry with the first seq and does not broadcast it again; refuses a changed body', async () => {
      const p = await open(tokens.patient);
      const c = await open(tokens.clinician);
      const head = (
        await http(t.url, 'GET', `/api/sessions/${sessionId}`, { token: tokens.clinician })
      ).body.headSeq;
      const live = recordEvents(c);
      await watch(c, sessionId, head);
      const id = `retry-${Date.now()}`;
      const a = await submitCheckIn(p, sessionId, id, { anxiety: 2 });
      const b = await submitCheckIn(p, sessionId, id, { anxiety: 2 });
      const x = await submitCheckIn(p, sessionId, id, { anxiety: 3 });
      expect(a).toEqual({ ok: true, seq: head + 1, duplicate: false });
      expect(b).toEqual({ ok: true, seq: head + 1, duplicate: true });
      expect(x).toMatchObject({ ok: false, error: { code: 'conflict' } });
      await sleep(300);
      expect(live.map((e) => e.seq)).toEqual([head + 1]);
    });

    it('delivers concurrent submissions from several sockets gapless, in order, once', async () => {
      const c = await open(tokens.clinician);
      const head = (
        await http(t.url, 'GET', `/api/sessions/${sessionId}`, { token: tokens.clinician })
      ).body.headSeq as number;
      const live = recordEvents(c);
      await watch(c, sessionId, head);
      const phones = await Promise.all(
        [tokens.patient, tokens.patient, tokens.clinician, tokens.patient].map(open),
      );
      const acks = await Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          phones[i % phones.length].timeout(10_000).emitWithAck('vitals.submit', {
            sessionId,
            clientId: `conc-${Date.now()}-${i}`,
            readings: [{ kind: 'heart_rate', value: 60 + (i % 30), measuredAt: at }],
          }),
        ),
      );
      const seqs = acks.map((a) => (a.ok ? a.seq : -1)).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => head + 1 + i));
      await until(() => live.length >= 80, 10_000, '80 live events');
      await sleep(100);
      expectGapless(live, head + 1, head + 80);
    });

    it('loses and repeats nothing when events are committed while the backlog is read', async () => {
      const p = await open(tokens.patient);
      const start = (
        await http(t.url, 'GET', `/api/sessions/${sessionId}`, { token: tokens.patient })
      ).body.headSeq as number;
      let stop = false;
      let n = 0;
      const phones = [p, await open(tokens.patient), await open(tokens.patient)];
      const writer = (async () => {
        // paced like real phones (a few per second each), three of them at once
        while (!stop) {
          const ack = await submitCheckIn(phones[n % 3], sessionId, `race-${start}-${n}`, {
            nausea: n % 10,
          });
          expect(ack.ok).toBe(true);
          n++;
          await sleep(25);
        }
      })();
      const watchers: Array<{ backlog: SessionEvent[]; live: SessionEvent[] }> = [];
      for (let i = 0; i < 8; i++) {
        await sleep(15);
        const c = await open(tokens.clinician);
        const live = recordEvents(c);
        const ack = await watch(c, sessionId, start);
        if (!ack.ok) throw new Error('watch failed');
        watchers.push({ backlog: ack.events, live });
      }
      await sleep(100);
      stop = true;
      await writer;
      const head = (
        await http(t.url, 'GET', `/api/sessions/${sessionId}`, { token: tokens.patient })
      ).body.headSeq as number;
      for (const w of watchers) {
        await until(
          () => [...w.backlog, ...w.live].at(-1)?.seq === head,
          5000,
          'watcher to catch up',
        );
        expectGapless([...w.backlog, ...w.live], start + 1, head);
      }
    });

    it('resyncs after a disconnect by afterSeq', async () => {
      const p = await open(tokens.patient);
      const c = await open(tokens.clinician);
      const head = (
        await http(t.url, 'GET', `/api/sessions/${sessionId}`, { token: tokens.clinician })
      ).body.headSeq as number;
      const live = recordEvents(c);
      await watch(c, sessionId, head);
      await submitCheckIn(p, sessionId, `pre-drop-${head}`);
      await until(() => live.length === 1);
      c.disconnect();
      for (let i = 0; i < 3; i++) await submitCheckIn(p, sessionId, `while-away-${head}-${i}`);
      const back = await open(tokens.clinician);
      const ack = await watch(back, sessionId, live[0].seq);
      if (!ack.ok) throw new Error('watch failed');
      expectGapless(ack.events, head + 2, head + 4);
    });
  });

  describe('bad payloads', () => {
    it.each([
      ['checkin.submit', null, /^payload: /],
      ['checkin.submit', 'text', /^payload: /],
      ['checkin.submit', { clientId: 'z1', moaas: 5 }, /^sessionId: /],
      ['checkin.submit', { sessionId: 'nope', clientId: 'z1', moaas: 5 }, /^sessionId: /],
      [
        'checkin.submit',
        { sessionId: '$S', clientId: 'z1', moaas: 9 },
        /^moaas: must be at most 5/,
      ],
      ['checkin.submit', { sessionId: '$S', clientId: 'z1' }, /^body: must contain at least one/],
      [
        'vitals.submit',
        {
          sessionId: '$S',
          clientId: 'z2',
          readings: [{ kind: 'spo2', value: 120, measuredAt: at }],
        },
        /^readings\[0\]\.value: spo2 120/,
      ],
      ['help.request', { sessionId: '$S', clientId: 'z3', extra: true }, /^extra: unknown field/],
      ['session.watch', { sessionId: '$S', afterSeq: -1 }, /^afterSeq: /],
      ['session.watch', { sessionId: '$S' }, /^afterSeq: /],
      ['presence.heartbeat', { sessionId: 42 }, /^sessionId: /],
    ])(
      '%s with %j gets an invalid ack naming the field, and the socket survives',
      async (event, payload, message) => {
        const s = await open(tokens.patient);
        const body =
          payload && typeof payload === 'object'
            ? JSON.parse(JSON.stringify(payload).replace('$S', sessionId))
            : payload;
        const ack = await (
          s.timeout(5000) as unknown as {
            emitWithAck(
              e: string,
              p: unknown,
            ): Promise<{ ok: boolean; error?: { code: string; message: string } }>;
          }
        ).emitWithAck(event, body);
        expect(ack.ok).toBe(false);
        expect(ack.error?.code).toBe('invalid');
        expect(ack.error?.message).toMatch(message);
        expect(s.connected).toBe(true);
        expect(
          await submitCheckIn(
            s,
            sessionId,
            `alive-${Date.now()}-${Math.random()}`.replace('.', ''),
          ),
        ).toMatchObject({ ok: true });
      },
    );

    it('tells a flooding socket it is limited, then disconnects it, while others carry on', async () => {
      const flood = await open(tokens.patient);
      const calm = await open(tokens.patient);
      const limited: string[] = [];
      flood.on('rate_limited', (m) => limited.push(m.message));
      const gone = disconnected(flood, 15_000);
      for (let i = 0; i < 200 && flood.connected; i++)
        flood.emit('presence.heartbeat', { sessionId });
      expect(await gone).toBe('io server disconnect');
      expect(limited.length).toBeGreaterThan(0);
      expect(await submitCheckIn(calm, sessionId, `calm-${Date.now()}`)).toMatchObject({
        ok: true,
      });
    });
  });

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
        error: { code: 'forbidden' },
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

    it('records the device online on a heartbeat and silent after 60 s without one', async () => {
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
      expect(ack.events.map((e) => [e.type, e.data.presence])).toEqual([
        ['presence.changed', 'online'],
      ]);
      const clock = t.clock as ManualClock;
      const presence = t.app.get(PresenceService);
      const presenceOf = async () =>
        (await t.dataSource.query(`SELECT device_presence FROM sessions WHERE id = $1`, [sid]))[0]
          .device_presence;
      clock.advance(59_000);
      await presence.sweep();
      expect(await presenceOf()).toBe('online');
      clock.advance(2_000);
      expect(await presence.sweep()).toBeGreaterThanOrEqual(1);
      expect(await presenceOf()).toBe('silent');
      expect(await presence.sweep()).toBe(0);
      await until(() => seen.some((e) => e.type === 'alert.raised'), 5000, 'device offline alert');
      expect(seen[0]).toMatchObject({ type: 'presence.changed', data: { presence: 'silent' } });
      // CLINICAL.md: device offline (no heartbeat for 60 s) is a low, technical alert ...
      const raised = seen.find((e) => e.type === 'alert.raised')!;
      expect(raised.data).toMatchObject({
        condition: 'device_offline',
        priority: 'low',
        message: 'No heartbeat for 61 s >= 60',
      });
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
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
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
