/**
 * Review h1: two API instances on one PostgreSQL and one Redis. Does a clinician's board on B see
 * what the alert engine (event-driven or watchdog) commits on A, and does the board stay right
 * when the same session's events commit on both instances (the phone on B, the watchdog or a
 * REST call on A; a clinician's REST calls balanced over both)?
 *
 * docs/API.md: `board.updated` is `{ sessionId, state, headSeq, latestVitals, lastCheckInAt,
 * openAlertPriority, presence }` "to the boards of the clinicians assigned to that patient";
 * `board.batch`: "Across instances as before: a flush committed on one instance reaches the
 * boards on every other."
 */
import type { BoardBatch, BoardSummary, SessionEvent } from '@vigil/contracts';
import type { ManualClock } from '../apps/api/src/common/clock';
import { alertsOf, flow, MINUTE, settle, tick } from './support/clinical';
import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { recordEvents, socketPool, until, watch, type LiveClient } from './support/live-client';
import { twoInstancesOverRedis, type TestApp } from './support/test-app';

const REDIS_URL = process.env.REDIS_URL;

interface Seen {
  at: number;
  summary: BoardSummary;
}

/** Every summary a board socket was sent, in order, with its arrival time. */
function recordBoard(socket: LiveClient) {
  const seen: Seen[] = [];
  socket.on('board.batch', (b: BoardBatch) => {
    for (const summary of b.summaries) seen.push({ at: Date.now(), summary });
  });
  socket.on('board.updated', (summary: BoardSummary) => seen.push({ at: Date.now(), summary }));
  return {
    seen,
    of: (sessionId: string) => seen.filter((s) => s.summary.sessionId === sessionId),
    last: (sessionId: string) =>
      seen.filter((s) => s.summary.sessionId === sessionId).at(-1)?.summary,
  };
}

(REDIS_URL ? describe : describe.skip)('board and watches across two instances (review h1)', () => {
  const apps = twoInstancesOverRedis(REDIS_URL ?? '');
  const sockets = socketPool();

  /** A patient in monitoring (dosed now), an assigned clinician; tokens on both instances. */
  async function ward() {
    const ds = apps.a.dataSource;
    const patient = await makeUser(ds, 'patient');
    const clinician = await makeUser(ds, 'clinician');
    await assign(ds, clinician, patient);
    const sessionId = await makeSession(ds, {
      patient,
      clinician,
      state: 'monitoring',
      dosedAt: (apps.a.clock as ManualClock).now(),
    });
    const patientToken = (await login(apps.a.url, patient)).accessToken;
    const clinicianToken = (await login(apps.a.url, clinician)).accessToken;
    return { patient, clinician, sessionId, patientToken, clinicianToken };
  }

  const board = async (t: TestApp, user: TestUser, format: 'batch' | 'updated' = 'batch') =>
    recordBoard(await sockets.open(t.url, user, { board: format }));

  const advanceBoth = (ms: number) => {
    (apps.a.clock as ManualClock).advance(ms);
    (apps.b.clock as ManualClock).advance(ms);
  };

  /** The patient's phone sends routine readings through B (its socket's instance). */
  async function routineVitalsOnB(w: Awaited<ReturnType<typeof ward>>, hr = 72) {
    const r = await flow(apps.b, w.patientToken, w.sessionId).vitals(
      (apps.b.clock as ManualClock).now(),
      [
        ['heart_rate', hr],
        ['spo2', 97],
      ],
    );
    expect(r.status).toBe(201);
    await settle(apps.b);
  }

  it("a help press committed on A reaches B's board (batch and v1) and B's session watch within a second", async () => {
    const w = await ward();
    const batch = await board(apps.b, w.clinician, 'batch');
    const legacy = await board(apps.b, w.clinician, 'updated');
    const viewer = await sockets.open(apps.b.url, w.clinician);
    const events = recordEvents(viewer);
    expect((await watch(viewer, w.sessionId)).ok).toBe(true);
    // The web dashboard's own socket: batched events, the board's `latest` watch of many.
    const dash = await sockets.open(apps.b.url, w.clinician, { board: 'batch', events: 'batch' });
    const dashEvents = recordEvents(dash);
    const many = await dash.timeout(10_000).emitWithAck('sessions.watch', {
      sessions: [{ sessionId: w.sessionId, afterSeq: 0, readings: 'latest' }],
    });
    expect(many.ok).toBe(true);

    const t0 = Date.now();
    expect((await flow(apps.a, w.patientToken, w.sessionId).help()).status).toBe(201);
    await settle(apps.a);
    await until(
      () => events.some((e: SessionEvent) => e.type === 'alert.raised'),
      3000,
      "alert.raised on B's watch",
    );
    const watchMs = Date.now() - t0;
    await until(
      () => dashEvents.some((e) => e.type === 'alert.raised'),
      3000,
      "alert.raised on B's dashboard socket (sessions.watch, latest)",
    );
    expect(dashEvents.map((e) => e.type)).toEqual(['help.requested', 'alert.raised']);
    await until(
      () => batch.of(w.sessionId).some((s) => s.summary.openAlertPriority === 'high'),
      3000,
      "the high alert on B's batch board",
    );
    await until(
      () => legacy.of(w.sessionId).some((s) => s.summary.openAlertPriority === 'high'),
      3000,
      "the high alert on B's v1 board",
    );
    const boardMs =
      batch.of(w.sessionId).find((s) => s.summary.openAlertPriority === 'high')!.at - t0;
    console.log(`help on A -> B: watch ${watchMs} ms, board ${boardMs} ms`);
    expect(watchMs).toBeLessThan(1000);
    expect(boardMs).toBeLessThan(1500);
  });

  it("B's board keeps an alert raised on A when the phone's next routine reading commits on B", async () => {
    const w = await ward();
    const batch = await board(apps.b, w.clinician, 'batch');
    await routineVitalsOnB(w);
    await until(() => batch.last(w.sessionId)?.latestVitals.spo2 !== undefined, 3000, 'vitals');

    // Help pressed; the phone's socket was mid-reconnect so the outbox sent it over REST, which
    // the load balancer gave to A.
    expect((await flow(apps.a, w.patientToken, w.sessionId).help()).status).toBe(201);
    await settle(apps.a);
    await until(() => batch.last(w.sessionId)?.openAlertPriority === 'high', 3000, 'high on B');
    const open = (await alertsOf(apps.a.dataSource, w.sessionId)).filter(
      (a) => a.status !== 'resolved',
    );
    expect(open).toHaveLength(1);

    // The phone's next 1 Hz reading goes through its socket's instance, B, as it always did.
    const before = batch.of(w.sessionId).length;
    await routineVitalsOnB(w, 74);
    await until(() => batch.of(w.sessionId).length > before, 3000, 'the next summary on B');
    // The help alert is still open (latched until a clinician resolves it) ...
    expect(
      (await alertsOf(apps.a.dataSource, w.sessionId)).filter((a) => a.status !== 'resolved'),
    ).toHaveLength(1);
    // ... so the tile must still say so.
    expect(batch.last(w.sessionId)?.openAlertPriority).toBe('high');
  });

  it("the summary B's board gets for a watchdog alert raised on A still shows the readings and check-in B committed", async () => {
    const w = await ward();
    const batch = await board(apps.b, w.clinician, 'batch');
    // The phone (on B) checks in and sends readings.
    expect(
      (await flow(apps.b, w.patientToken, w.sessionId).checkIn({ moaas: 5, nausea: 1 })).status,
    ).toBe(201);
    await routineVitalsOnB(w);
    await until(
      () =>
        batch.last(w.sessionId)?.latestVitals.spo2 !== undefined &&
        batch.last(w.sessionId)?.lastCheckInAt !== null,
      3000,
      'vitals and check-in on B',
    );
    const shown = batch.last(w.sessionId)!;
    const viewer = await sockets.open(apps.b.url, w.clinician);
    const events = recordEvents(viewer);
    expect((await watch(viewer, w.sessionId)).ok).toBe(true);

    // 21 minutes with no check-in: A's watchdog ticks first and raises checkin_overdue.
    advanceBoth(21 * MINUTE);
    const t0 = Date.now();
    await tick(apps.a);
    const raised = (await alertsOf(apps.a.dataSource, w.sessionId)).filter(
      (a) => a.status !== 'resolved',
    );
    expect(raised.length).toBeGreaterThan(0);
    await until(() => batch.last(w.sessionId)?.openAlertPriority != null, 3000, 'alert on B');
    const boardMs = Date.now() - t0;
    await until(() => events.some((e) => e.type === 'alert.raised'), 3000, "B's watch");
    console.log(`watchdog tick on A -> B: board ${boardMs} ms, watch ${Date.now() - t0} ms`);
    const after = batch.last(w.sessionId)!;
    expect(after.headSeq).toBeGreaterThan(shown.headSeq);
    // Nothing about the readings or the check-in changed: a tile must not blank them.
    expect({ latestVitals: after.latestVitals, lastCheckInAt: after.lastCheckInAt }).toEqual({
      latestVitals: shown.latestVitals,
      lastCheckInAt: shown.lastCheckInAt,
    });
  });

  it("a board's summaries never go back in headSeq when the session's events commit on both instances", async () => {
    const w = await ward();
    const batch = await board(apps.b, w.clinician, 'batch');
    await routineVitalsOnB(w);
    expect((await flow(apps.a, w.patientToken, w.sessionId).help()).status).toBe(201);
    await settle(apps.a);
    await until(() => batch.last(w.sessionId)?.openAlertPriority === 'high', 3000, 'high on B');
    await routineVitalsOnB(w, 75);
    const [{ head_seq }] = await apps.a.dataSource.query(
      `SELECT head_seq FROM sessions WHERE id = $1`,
      [w.sessionId],
    );
    await until(
      () => batch.of(w.sessionId).some((s) => s.summary.headSeq === Number(head_seq)),
      3000,
      'the head on B',
    ).catch(() => undefined);
    const seqs = batch.of(w.sessionId).map((s) => s.summary.headSeq);
    console.log(`headSeq on B's board: ${seqs.join(', ')} (database head ${head_seq})`);
    expect(seqs.at(-1)).toBe(Number(head_seq));
  });

  it("an alert resolved on B does not come back on A's board with the next event committed on A", async () => {
    const w = await ward();
    const batchA = await board(apps.a, w.clinician, 'batch');
    expect((await flow(apps.a, w.patientToken, w.sessionId).help()).status).toBe(201);
    await settle(apps.a);
    await until(() => batchA.last(w.sessionId)?.openAlertPriority === 'high', 3000, 'high on A');
    const [alert] = await alertsOf(apps.a.dataSource, w.sessionId);

    // The clinician's REST calls land on B.
    const act = (action: string, body?: unknown) =>
      http(apps.b.url, 'POST', `/api/alerts/${alert.id}/${action}`, {
        token: w.clinicianToken,
        body,
      });
    expect((await act('acknowledge')).status).toBe(200);
    expect((await act('resolve', { note: 'Spoke to patient: pressed by mistake' })).status).toBe(
      200,
    );
    await until(
      () => batchA.last(w.sessionId)?.openAlertPriority === null,
      3000,
      "the resolve on A's board",
    );
    // The next event of the session happens to commit on A (a REST reading, a note, a tick).
    const before = batchA.of(w.sessionId).length;
    const r = await flow(apps.a, w.patientToken, w.sessionId).vitals(
      (apps.a.clock as ManualClock).now(),
      [['heart_rate', 70]],
    );
    expect(r.status).toBe(201);
    await settle(apps.a);
    await until(() => batchA.of(w.sessionId).length > before, 3000, 'the next summary on A');
    expect(
      (await alertsOf(apps.a.dataSource, w.sessionId)).filter((a) => a.status !== 'resolved'),
    ).toHaveLength(0);
    expect(batchA.last(w.sessionId)?.openAlertPriority).toBeNull();
  });

  it('an acknowledge on B reaches a session watch on A within a second', async () => {
    const w = await ward();
    const viewer = await sockets.open(apps.a.url, w.clinician);
    const events = recordEvents(viewer);
    expect((await watch(viewer, w.sessionId)).ok).toBe(true);
    expect((await flow(apps.a, w.patientToken, w.sessionId).help()).status).toBe(201);
    await settle(apps.a);
    const [alert] = await alertsOf(apps.a.dataSource, w.sessionId);
    const t0 = Date.now();
    const acked = await http(apps.b.url, 'POST', `/api/alerts/${alert.id}/acknowledge`, {
      token: w.clinicianToken,
    });
    expect(acked.status).toBe(200);
    await until(() => events.some((e) => e.type === 'alert.acknowledged'), 3000, 'ack on A');
    expect(Date.now() - t0).toBeLessThan(1000);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it("an abort on A reaches B's board (state, no open alert) and B's watch", async () => {
    const w = await ward();
    const batch = await board(apps.b, w.clinician, 'batch');
    const viewer = await sockets.open(apps.b.url, w.clinician);
    const events = recordEvents(viewer);
    expect((await watch(viewer, w.sessionId)).ok).toBe(true);
    // An alert raised on B (the phone's help press through B).
    expect((await flow(apps.b, w.patientToken, w.sessionId).help()).status).toBe(201);
    await settle(apps.b);
    await until(() => batch.last(w.sessionId)?.openAlertPriority === 'high', 3000, 'high on B');
    const t0 = Date.now();
    const aborted = await flow(apps.a, w.clinicianToken, w.sessionId).transition(
      'abort',
      'Transferred to ED',
    );
    expect(aborted.status).toBeLessThan(300);
    await until(() => batch.last(w.sessionId)?.state === 'aborted', 3000, 'aborted on B');
    console.log(`abort on A -> B's board: ${Date.now() - t0} ms`);
    expect(batch.last(w.sessionId)?.openAlertPriority).toBeNull();
    await until(
      () => events.some((e) => e.type === 'session.state_changed'),
      3000,
      'state change on B',
    );
    expect(events.some((e) => e.type === 'alert.resolved')).toBe(true);
  });
});
