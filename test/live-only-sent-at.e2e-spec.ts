/**
 * A review of 2809b03 (a patient's submissions judged live under the session lock) and 3eccf4d
 * (v1.10 check-in sentAt / waitedMs): what it found (a MOAA/S 1 set aside as history after a
 * phone clock correction; a sentAt years ahead stored) and what held. Left as a documented
 * residual: a clock corrected by X while a check-in waited dates its schedule X off.
 */
import { AppendLiveOnly1764190110000 } from '../apps/api/src/database/migrations/1764190110000-append-live-only';
import { EventStore } from '../apps/api/src/modules/events/event-store';
import { openAlertWard, type AlertWard } from './support/alert-ward';
import { helpRequest } from './support/append-requests';
import { makeSession, type TestUser } from './support/factories';
import { connectLive, connected, submitCheckIn, type LiveClient } from './support/live-client';
import { alertsOf, eventsOf, flow, manual, MINUTE, settle } from './support/clinical';
import type { TestApp } from './support/test-app';

describe('v1.10 sentAt and live-only appends, under review', () => {
  let t: TestApp;
  let token: AlertWard['token'];
  let liveSession: AlertWard['liveSession'];
  let patient: TestUser;
  let clinician: TestUser;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    ({ t, token, liveSession, patient, clinician } = await openAlertWard());
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  const moaasLow = async (id: string) =>
    (await alertsOf(t.dataSource, id)).filter((a) => a.condition === 'moaas_low');

  // Control (v1.9 phone, no sentAt): MOAA/S 1 arriving after a MOAA/S 5 raises a high alert.
  it('control: a v1.9 phone reporting MOAA/S 1 after a MOAA/S 5 raises moaas_low high', async () => {
    const id = await liveSession();
    const phone = flow(t, token.patient, id);
    manual(t).advance(15 * MINUTE);
    expect((await phone.checkIn({ moaas: 5, takenAt: manual(t).now().toISOString() })).status).toBe(
      201,
    );
    await settle(t);
    manual(t).advance(2 * MINUTE);
    const takenAt = new Date(manual(t).now().getTime() - 2 * 60 * MINUTE).toISOString();
    expect((await phone.checkIn({ moaas: 1, takenAt })).status).toBe(201);
    await settle(t);
    expect(await moaasLow(id)).toMatchObject([{ priority: 'high' }]);
  });

  // The same check-in from a v1.10 phone whose clock was set right (NTP) between the moment the
  // check-in was made and its send a few seconds later: sentAt - takenAt = 2 h, so waitedMs says
  // it was made before the dose; the engine dates it at the dose, before the MOAA/S 5, and drops
  // it as "history". MOAA/S <= 2 is high (CLINICAL.md alert table); before v1.10 it alerted.
  it('a MOAA/S 1 from a phone whose clock was corrected between takenAt and sentAt still raises moaas_low high', async () => {
    const id = await liveSession();
    const phone = flow(t, token.patient, id);
    manual(t).advance(15 * MINUTE);
    expect((await phone.checkIn({ moaas: 5, takenAt: manual(t).now().toISOString() })).status).toBe(
      201,
    );
    await settle(t);
    manual(t).advance(2 * MINUTE);
    const now = manual(t).now().getTime();
    const res = await phone.checkIn({
      moaas: 1,
      takenAt: new Date(now - 2 * 60 * MINUTE).toISOString(),
      sentAt: new Date(now).toISOString(),
    });
    expect(res.status).toBe(201);
    await settle(t);
    expect(await moaasLow(id)).toMatchObject([{ priority: 'high' }]);
  });

  // A time from the phone more than a day ahead of the server is refused naming it
  // (submissions.service refuseFuture, docs "bad input gets a clear 400 naming the field"):
  // sentAt was not checked, and its absurd wait was stored and used by the engine.
  it('refuses a sentAt years ahead of the server clock (400 naming sentAt), storing nothing', async () => {
    const id = await liveSession();
    const phone = flow(t, token.patient, id);
    manual(t).advance(5 * MINUTE);
    const now = manual(t).now().getTime();
    const res = await phone.checkIn({
      moaas: 5,
      takenAt: new Date(now).toISOString(),
      sentAt: new Date(now + 3 * 365 * 24 * 60 * MINUTE).toISOString(),
    });
    const stored = await eventsOf(t.dataSource, id, 'checkin.recorded');
    expect({ status: res.status, stored: stored.map((e) => e.data.waitedMs) }).toEqual({
      status: 400,
      stored: [],
    });
    expect(res.body.message).toMatch(/^sentAt/);
  });

  it('non-ISO sentAt is 400 naming it; sentAt without takenAt stores no wait', async () => {
    const id = await liveSession();
    const phone = flow(t, token.patient, id);
    const bad = await phone.checkIn({
      moaas: 5,
      takenAt: manual(t).now().toISOString(),
      sentAt: 'yesterday',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/sentAt/);
    const ok = await phone.checkIn({ moaas: 5, sentAt: manual(t).now().toISOString() });
    expect(ok.status).toBe(201);
    const [e] = await eventsOf(t.dataSource, id, 'checkin.recorded');
    expect(e.data).not.toHaveProperty('waitedMs');
    expect(e.data).not.toHaveProperty('sentAt');
  });

  it('socket then REST retries with other sentAt values are duplicates of the first', async () => {
    const id = await liveSession();
    const s = connectLive(t.url, token.patient);
    sockets.push(s);
    await connected(s);
    const now = manual(t).now().getTime();
    const body = { moaas: 4, takenAt: new Date(now - 5 * MINUTE).toISOString() };
    const first = await submitCheckIn(s, id, 'sock-dup-1', {
      ...body,
      sentAt: new Date(now - MINUTE).toISOString(),
    });
    expect(first).toMatchObject({ ok: true, duplicate: false });
    const again = await submitCheckIn(s, id, 'sock-dup-1', {
      ...body,
      sentAt: new Date(now).toISOString(),
    });
    expect(again).toMatchObject({ ok: true, duplicate: true });
    const rest = await flow(t, token.patient, id).post('check-ins', {
      clientId: 'sock-dup-1',
      ...body,
      sentAt: new Date(now + 30_000).toISOString(),
    });
    expect(rest).toMatchObject({ status: 200, body: { duplicate: true } });
    const events = await eventsOf(t.dataSource, id, 'checkin.recorded');
    expect(events).toHaveLength(1);
    expect(events[0].data.waitedMs).toBe(4 * MINUTE);
  });

  it('a group mixing an aborted and a live session appends the live one, refuses the other, keeps a retry a duplicate, one audit row each', async () => {
    const live = await liveSession();
    const gone = await makeSession(t.dataSource, {
      patient,
      clinician,
      state: 'monitoring',
      dosedAt: manual(t).now(),
    });
    const store = t.app.get(EventStore);
    const [stored] = await store.append([{ ...helpRequest(patient, gone, 'g-1'), liveOnly: true }]);
    expect(stored.status).toBe('appended');
    await t.dataSource.query(`UPDATE sessions SET state = 'aborted' WHERE id = $1`, [gone]);
    const outcomes = await store.append([
      { ...helpRequest(patient, gone, 'g-2'), liveOnly: true },
      { ...helpRequest(patient, live, 'l-1'), liveOnly: true },
      { ...helpRequest(patient, gone, 'g-1'), liveOnly: true },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['not_live', 'appended', 'duplicate']);
    const audit: Array<{
      entity_id: string;
      outcome: string;
      result: string | null;
      seq: string | null;
    }> = await t.dataSource.query(
      `SELECT entity_id, outcome, detail->>'result' AS result, detail->>'seq' AS seq
           FROM audit_events WHERE entity_id = ANY($1) AND action = 'help.request' ORDER BY seq`,
      [[gone, live]],
    );
    // g-1 stored (success), then this group: g-2 refused, l-1 appended, g-1 retried (duplicate).
    expect(audit.filter((a) => a.entity_id === gone && a.result === 'not_live')).toMatchObject([
      { outcome: 'denied' },
    ]);
    expect(audit.filter((a) => a.entity_id === gone && a.result === 'duplicate')).toHaveLength(1);
    expect(audit.filter((a) => a.entity_id === live)).toMatchObject([{ outcome: 'success' }]);
  });

  it('help.request over the socket to an aborted session acks ok:false with the state', async () => {
    const id = await makeSession(t.dataSource, {
      patient,
      clinician,
      state: 'aborted',
      dosedAt: manual(t).now(),
    });
    const s = connectLive(t.url, token.patient);
    sockets.push(s);
    await connected(s);
    const ack = await s
      .timeout(10_000)
      .emitWithAck('help.request', { sessionId: id, clientId: 'sock-h-1' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((ack as { error: { message: string } }).error.message).toMatch(
      /^state: the session is aborted/,
    );
  });

  it('ten help presses and a check-in to another live session while an abort commits', async () => {
    const id = await liveSession();
    const other = await liveSession();
    const phone = flow(t, token.patient, id);
    const abort = t.dataSource.createQueryRunner();
    await abort.connect();
    await abort.startTransaction();
    let answers: Array<{ status: number; body: { message?: string } }> = [];
    let otherAnswer: { status: number } = { status: 0 };
    try {
      await abort.query(`SELECT id FROM sessions WHERE id = $1 FOR NO KEY UPDATE`, [id]);
      await abort.query(`UPDATE sessions SET state = 'aborted' WHERE id = $1`, [id]);
      const presses = Array.from({ length: 10 }, (_, i) =>
        phone.post('help', { clientId: `race-h-${i}` }),
      );
      const otherPending = flow(t, token.patient, other).post('check-ins', {
        clientId: 'race-c-1',
        moaas: 5,
      });
      for (let i = 0; i < 200; i++) {
        const [{ n }] = await t.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        );
        if (n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await abort.commitTransaction();
      answers = await Promise.all(presses);
      otherAnswer = await otherPending;
    } finally {
      await abort.release();
    }
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(409));
    expect(otherAnswer.status).toBe(201);
    expect(await eventsOf(t.dataSource, id, 'help.requested')).toEqual([]);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'help.request'
          AND outcome = 'denied' AND detail->>'result' = 'not_live'`,
      [id],
    );
    expect(n).toBe(10);
  });

  it('migration 1764190110000 goes down and up again', async () => {
    const runner = t.dataSource.createQueryRunner();
    const fn = () =>
      t.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_proc WHERE proname = 'vigil_append_group_live'`,
      );
    try {
      const migration = new AppendLiveOnly1764190110000();
      await migration.down(runner);
      expect(await fn()).toEqual([{ n: 0 }]);
      await migration.up(runner);
      expect(await fn()).toEqual([{ n: 1 }]);
    } finally {
      await runner.release();
    }
  });
});
