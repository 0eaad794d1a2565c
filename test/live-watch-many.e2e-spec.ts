import type { SessionEvent, WatchAck, WatchManyAck, WatchReadings } from '@vigil/contracts';
import { auditRows, assign, http, login, makeSession, makeUser } from './support/factories';
import { expectGapless } from './support/live-fixture';
import {
  connectLive,
  connected,
  recordEvents,
  submitCheckIn,
  until,
  type LiveClient,
} from './support/live-client';
import { createTestApp, type TestApp } from './support/test-app';

const watchMany = (
  socket: LiveClient,
  sessions: Array<{ sessionId: string; afterSeq: number; readings?: WatchReadings }>,
): Promise<WatchManyAck> => socket.timeout(20_000).emitWithAck('sessions.watch', { sessions });

/**
 * `sessions.watch` (v1.1 addition): one message subscribes a board to many sessions. Each slot is
 * that session's own watch answer, with access decided per session, and each session keeps the
 * gapless backlog-then-live guarantee. Default rate limits: a board of 200 is one message.
 */
describe('sessions.watch: a board watches many sessions in one message', () => {
  let t: TestApp;
  const sockets: LiveClient[] = [];
  const open = async (token: string) => {
    const s = connectLive(t.url, token);
    sockets.push(s);
    await connected(s);
    return s;
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  it('answers each slot as session.watch would: backlog and head for mine, not_found for another clinician’s and for none, nothing leaked', async () => {
    const ds = t.dataSource;
    const me = await makeUser(ds, 'clinician');
    const other = await makeUser(ds, 'clinician');
    const mine = await makeUser(ds, 'patient');
    const theirs = await makeUser(ds, 'patient');
    await assign(ds, me, mine);
    await assign(ds, other, theirs);
    const a = await makeSession(ds, { patient: mine, clinician: me });
    const hidden = await makeSession(ds, { patient: theirs, clinician: other });
    const absent = '00000000-0000-4000-8000-000000000000';
    const patientToken = (await login(t.url, mine)).accessToken;
    const theirToken = (await login(t.url, theirs)).accessToken;
    for (const [session, token, n] of [
      [a, patientToken, 3],
      [hidden, theirToken, 2],
    ] as const)
      for (let i = 0; i < n; i++)
        expect(
          (
            await http(t.url, 'POST', `/api/sessions/${session}/check-ins`, {
              token,
              body: { clientId: `pre-${session}-${i}`, moaas: 5 },
            })
          ).status,
        ).toBe(201);

    const board = await open((await login(t.url, me)).accessToken);
    const seen = recordEvents(board);
    const ack = await watchMany(board, [
      { sessionId: a, afterSeq: 1 },
      { sessionId: hidden, afterSeq: 0 },
      { sessionId: absent, afterSeq: 0 },
    ]);
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.sessions.map((s) => s.sessionId)).toEqual([a, hidden, absent]);
    const [slotA, slotHidden, slotAbsent] = ack.sessions;
    expect(slotA.ok && slotA.headSeq).toBe(3);
    expect(slotA.ok && slotA.events.map((e) => e.seq)).toEqual([2, 3]);
    // Hidden and absent read the same: no events, no head, no existence oracle.
    const notFound = {
      ok: false,
      error: { code: 'not_found', message: 'sessionId: no such session' },
    };
    expect(slotHidden).toEqual({ sessionId: hidden, ...notFound });
    expect(slotAbsent).toEqual({ sessionId: absent, ...notFound });
    const denied = await auditRows(ds, {
      action: 'session.watch',
      outcome: 'denied',
      entityId: hidden,
    });
    expect(denied).toHaveLength(1);
    // Audited as session.watch is: the hidden session's patient, and mine with what was sent.
    expect(denied[0].patient_id).toBe(theirs.patientId);
    const seenA = await auditRows(ds, {
      action: 'session.watch',
      outcome: 'success',
      entityId: a,
    });
    expect(seenA).toHaveLength(1);
    expect(seenA[0]).toMatchObject({
      patient_id: mine.patientId,
      detail: { afterSeq: 1, sent: 2 },
    });
    expect(
      await auditRows(ds, { action: 'session.watch', outcome: 'denied', entityId: absent }),
    ).toMatchObject([{ patient_id: null }]);

    // Live: the watched session's next events, nothing of the hidden one.
    await submitCheckIn(await open(theirToken), hidden, 'after-hidden');
    const phone = await open(patientToken);
    await submitCheckIn(phone, a, 'after-a');
    await until(() => seen.some((e) => e.sessionId === a && e.seq === 4), 5000, 'seq 4 of a');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((e) => e.sessionId === hidden)).toEqual([]);
  });

  it('keeps every session gapless, backlog then live, while its events are committed during the watch', async () => {
    const ds = t.dataSource;
    const me = await makeUser(ds, 'clinician');
    const patients = await Promise.all(Array.from({ length: 6 }, () => makeUser(ds, 'patient')));
    const sessions: string[] = [];
    const phones: LiveClient[] = [];
    for (const p of patients) {
      await assign(ds, me, p);
      sessions.push(await makeSession(ds, { patient: p, clinician: me }));
      phones.push(await open((await login(t.url, p)).accessToken));
    }
    const board = await open((await login(t.url, me)).accessToken);
    const live = recordEvents(board);
    // Each phone submits 8 check-ins while the board subscribes to all six.
    const writes = phones.flatMap((phone, i) =>
      Array.from({ length: 8 }, (_, k) => submitCheckIn(phone, sessions[i], `race-${i}-${k}`)),
    );
    const ack = await watchMany(
      board,
      sessions.map((sessionId) => ({ sessionId, afterSeq: 0 })),
    );
    await Promise.all(writes);
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    for (const slot of ack.sessions) {
      expect(slot.ok).toBe(true);
      if (!slot.ok) continue;
      const all = (): SessionEvent[] => [
        ...slot.events,
        ...live.filter((e) => e.sessionId === slot.sessionId),
      ];
      await until(() => all().length >= 8, 5000, `8 events of ${slot.sessionId}`);
      expectGapless(all(), 1, 8);
    }
  });

  it('subscribes a board of 200 sessions in one message under the default rate limits', async () => {
    const ds = t.dataSource;
    const me = await makeUser(ds, 'clinician');
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const p = await makeUser(ds, 'patient');
      await assign(ds, me, p);
      ids.push(await makeSession(ds, { patient: p, clinician: me }));
    }
    const board = await open((await login(t.url, me)).accessToken);
    let limited = 0;
    board.on('rate_limited', () => (limited += 1));
    const started = Date.now();
    const ack = await watchMany(
      board,
      ids.map((sessionId) => ({ sessionId, afterSeq: 0 })),
    );
    expect(ack.ok && ack.sessions.filter((s) => s.ok).length).toBe(200);
    // A reconnecting board re-watches at once: still no flood.
    const again = await watchMany(
      board,
      ids.map((sessionId) => ({ sessionId, afterSeq: 0 })),
    );
    expect(again.ok).toBe(true);
    expect(limited).toBe(0);
    expect(board.connected).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it.each([
    [{ sessions: [] }, /^sessions: must name at least one session/],
    [{ sessions: 'x' }, /^sessions: /],
    [{}, /^sessions: /],
    [
      {
        sessions: [
          { sessionId: '00000000-0000-4000-8000-000000000001', afterSeq: 0 },
          { sessionId: '00000000-0000-4000-8000-000000000001', afterSeq: 2 },
        ],
      },
      /must not name a session twice/,
    ],
    [
      {
        sessions: Array.from({ length: 251 }, (_, i) => ({
          sessionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          afterSeq: 0,
        })),
      },
      /at most 250 sessions/,
    ],
  ])('refuses a malformed list as invalid, naming the field (%#)', async (payload, message) => {
    const me = await makeUser(t.dataSource, 'clinician');
    const board = await open((await login(t.url, me)).accessToken);
    const ack = (await board
      .timeout(10_000)
      .emitWithAck('sessions.watch', payload as never)) as WatchManyAck;
    expect(ack.ok).toBe(false);
    if (ack.ok) return;
    expect(ack.error.code).toBe('invalid');
    expect(ack.error.message).toMatch(message);
  });
  it("sends a board only the latest reading of each kind (readings: 'latest', v1.5), covers the rest, and goes on live from there", async () => {
    const ds = t.dataSource;
    const me = await makeUser(ds, 'clinician');
    const p = await makeUser(ds, 'patient');
    await assign(ds, me, p);
    const session = await makeSession(ds, { patient: p, clinician: me });
    const token = (await login(t.url, p)).accessToken;
    const post = async (path: string, body: Record<string, unknown>) =>
      expect(
        (await http(t.url, 'POST', `/api/sessions/${session}/${path}`, { token, body })).status,
      ).toBe(201);
    const at = (s: number) => new Date(Date.now() - 60_000 + s * 1000).toISOString();
    const reading = (kind: string, value: number, s: number) => ({
      kind,
      value,
      measuredAt: at(s),
    });
    await post('vitals', { clientId: 'v1', readings: [reading('bp_systolic', 128, 1)] }); // 1: latest BP
    await post('vitals', { clientId: 'v2', readings: [reading('heart_rate', 80, 2)] }); // 2
    await post('check-ins', { clientId: 'c1', moaas: 5 }); // 3
    await post('vitals', { clientId: 'v3', readings: [reading('heart_rate', 82, 4)] }); // 4: latest HR
    await post('vitals', { clientId: 'v4', readings: [reading('heart_rate', 70, 0)] }); // 5: late, older

    const board = await open((await login(t.url, me)).accessToken);
    const seen = recordEvents(board);
    const ack = await watchMany(board, [{ sessionId: session, afterSeq: 0, readings: 'latest' }]);
    if (!ack.ok || !ack.sessions[0].ok) throw new Error(JSON.stringify(ack));
    const slot = ack.sessions[0];
    expect(slot.events.map((e) => e.seq)).toEqual([1, 3, 4]);
    expect(slot).toMatchObject({ headSeq: 5, upToSeq: 5 });
    expect(
      await auditRows(ds, { action: 'session.watch', outcome: 'success', entityId: session }),
    ).toMatchObject([{ detail: { afterSeq: 0, sent: 3, readings: 'latest' } }]);

    // Live goes on after what the answer covered, not after the last event it sent.
    await post('vitals', { clientId: 'v5', readings: [reading('heart_rate', 84, 50)] });
    await until(() => seen.some((e) => e.seq === 6), 5000, 'seq 6');
    expect(seen.map((e) => e.seq)).toEqual([6]);

    // The same over session.watch (seq 6 supersedes 4 there); the default and 'all' send every event.
    const one: WatchAck = await board
      .timeout(10_000)
      .emitWithAck('session.watch', { sessionId: session, afterSeq: 3, readings: 'latest' });
    expect(one.ok && one.events.map((e) => e.seq)).toEqual([6]);
    expect(one.ok && one.upToSeq).toBe(6);
    const all: WatchAck = await board
      .timeout(10_000)
      .emitWithAck('session.watch', { sessionId: session, afterSeq: 0, readings: 'all' });
    expect(all.ok && all.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all.ok && 'upToSeq' in all).toBe(false);
    const bad: WatchAck = await board.timeout(10_000).emitWithAck('session.watch', {
      sessionId: session,
      afterSeq: 0,
      readings: 'some' as unknown as WatchReadings, // what a bad client sends
    });
    expect(bad).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: expect.stringMatching(/^readings: must be one of all, latest/),
      },
    });
  });
});
