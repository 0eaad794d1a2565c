import { io } from 'socket.io-client';

import type { SessionEvent } from '@vigil/contracts';
import { http, login, makeUser, type TestUser } from './support/factories';
import { at, expectGapless, forge, setupLive } from './support/live-fixture';
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
import { TEST_SECRET, type TestApp } from './support/test-app';

describe('live pipeline over /live: handshake, watching, payloads', () => {
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
    // Rate limits are per account and session: this file's stress tests need a larger burst.
    ({ t, patient, clinician, sessionId, tokens } = await setupLive({
      SOCKET_RATE_LIMIT_BURST: '200',
    }));
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
    it('answers not_found alike to a clinician who is not assigned and for a session that does not exist', async () => {
      const s = await open(tokens.stranger);
      const seen = recordEvents(s);
      const hidden = await watch(s, sessionId);
      const missing = await watch(s, '00000000-0000-4000-8000-000000000001');
      expect(hidden).toEqual({
        ok: false,
        error: { code: 'not_found', message: expect.any(String) },
      });
      expect(missing).toEqual(hidden);
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
      expect(await watch(s, sessionId)).toMatchObject({ ok: false, error: { code: 'not_found' } });
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

    it('session.unwatch stops delivery and is audited once (the trail says when someone stopped seeing it)', async () => {
      const p = await open(tokens.patient);
      const c = await open(tokens.clinician);
      const live = recordEvents(c);
      expect(await watch(c, sessionId, 1_000_000)).toMatchObject({ ok: true });
      const unwatch = () =>
        c.timeout(5000).emitWithAck('session.unwatch', { sessionId }) as Promise<unknown>;
      expect(await unwatch()).toEqual({ ok: true });
      expect(await unwatch()).toEqual({ ok: true }); // not watching: nothing happens
      const after = await submitCheckIn(p, sessionId, `uw-${Date.now()}`);
      expect(after).toMatchObject({ ok: true });
      await sleep(300);
      expect(live).toEqual([]);
      const rows = await t.dataSource.query(
        `SELECT outcome, patient_id FROM audit_events
          WHERE action = 'session.unwatch' AND actor_id = $1 AND entity_id = $2`,
        [clinician.id, sessionId],
      );
      expect(rows).toEqual([{ outcome: 'success', patient_id: patient.patientId }]);
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
      // Limits are per account and session (a reconnect must not reset them), so the flood comes
      // from another account than the calm patient's.
      const flooder = await makeUser(t.dataSource, 'patient');
      const flood = await open((await login(t.url, flooder)).accessToken);
      const calm = await open(tokens.patient);
      const limited: string[] = [];
      flood.on('rate_limited', (m) => limited.push(m.message));
      const gone = disconnected(flood, 15_000);
      for (let i = 0; i < 1000 && flood.connected; i++)
        flood.emit('presence.heartbeat', { sessionId });
      expect(await gone).toBe('io server disconnect');
      expect(limited.length).toBeGreaterThan(0);
      expect(await submitCheckIn(calm, sessionId, `calm-${Date.now()}`)).toMatchObject({
        ok: true,
      });
    });
  });
});
