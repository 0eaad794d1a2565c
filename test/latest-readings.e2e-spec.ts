import {
  latestReadingsKept,
  withLatestReadingsOnly,
  type ReadingKind,
  type SessionEvent,
  type WatchAck,
} from '@vigil/contracts';
import { AlertEngineService } from '../apps/api/src/modules/alerts/alert-engine.service';
import { LatestReadings1764190050000 } from '../apps/api/src/database/migrations/1764190050000-latest-readings';
import { readAllEvents } from '../apps/api/src/modules/events/event-reads';
import { EventStore, type AppendRequest } from '../apps/api/src/modules/events/event-store';
import { assign, login, makeSession, makeUser, type TestUser } from './support/factories';
import { connectLive, connected } from './support/live-client';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * `session_latest_readings`: each session's latest reading of each kind, kept by the group commit
 * and filled for stored events by its migration, so that a board's `readings: 'latest'` watch
 * reads a few rows per session instead of every reading since the dose. Checked against
 * `latestReadingsKept` (the contract's rule) over the whole log, whatever order, grouping, late
 * upload or tie the readings come in.
 */
describe('latest readings: kept by the group commit, read by a board', () => {
  let t: TestApp;
  let store: EventStore;
  let patient: TestUser;
  let clinician: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    store = t.app.get(EventStore);
    patient = await makeUser(t.dataSource, 'patient');
    clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
  });
  afterAll(() => t.close());

  // Values that raise no alert: the engine's events would interleave with the readings.
  const NORMAL: Record<ReadingKind, number> = {
    heart_rate: 80,
    spo2: 97,
    bp_systolic: 120,
    bp_diastolic: 80,
    resp_rate: 14,
    temperature: 36.8,
  };
  const base = Date.parse('2026-12-03T10:00:00.000Z');
  const vitals = (
    sessionId: string,
    clientId: string,
    readings: Array<[kind: ReadingKind, secondsAfterBaseOrTime: number | string]>,
  ): AppendRequest => ({
    sessionId,
    type: 'vitals.recorded',
    data: {
      readings: readings.map(([kind, s]) => ({
        kind,
        value: NORMAL[kind],
        measuredAt: typeof s === 'string' ? s : new Date(base + s * 1000).toISOString(),
      })),
    },
    actorId: patient.id,
    clientId,
    bodyHash: `hash-${clientId}`,
    clientTime: null,
    audit: null,
  });

  /** The seqs the contract's rule keeps of a session's readings, over its whole log. */
  const ruleKeeps = (events: SessionEvent[]): number[] => {
    const kept = latestReadingsKept(
      events.map((e) => ({
        seq: e.seq,
        at: e.at,
        readings: e.type === 'vitals.recorded' ? e.data.readings : null,
      })),
    );
    return events.filter((e) => e.type === 'vitals.recorded' && kept.has(e.seq)).map((e) => e.seq);
  };
  const projection = (sessionId: string) =>
    t.dataSource.query<Array<{ kind: string; rank: string; seq: number }>>(
      `SELECT kind, rank::text, seq::int FROM session_latest_readings
        WHERE session_id = $1 ORDER BY kind`,
      [sessionId],
    );
  const projectedSeqs = async (sessionId: string) =>
    [...new Set((await projection(sessionId)).map((r) => r.seq))].sort((a, b) => a - b);

  it('names, per kind, the event the rule keeps: same-kind readings within one group, late uploads, ties and events of several kinds', async () => {
    const sessions = [
      await makeSession(t.dataSource, { patient, clinician }),
      await makeSession(t.dataSource, { patient, clinician }),
    ];
    // Seeded pseudo-random readings, so a failure is reproducible.
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const kinds: ReadingKind[] = [
      'heart_rate',
      'spo2',
      'bp_systolic',
      'bp_diastolic',
      'temperature',
    ];
    for (let group = 0; group < 12; group++) {
      const requests: AppendRequest[] = [];
      for (let i = 0; i < 8; i++) {
        const session = sessions[i % 2];
        const n = 1 + Math.floor(random() * 3);
        const readings = Array.from({ length: n }, (): [ReadingKind, number] => [
          kinds[Math.floor(random() * kinds.length)],
          // Mostly forward in time, some late uploads, some ties on the same second.
          Math.floor(group * 10 + (random() - 0.3) * 40),
        ]);
        requests.push(vitals(session, `g${group}-${i}`, readings));
      }
      // Several groups at once: the group commit's own batching decides what shares a statement.
      if (group % 3 === 2) await Promise.all(requests.map((r) => store.append([r])));
      else await store.append(requests);
    }
    for (const session of sessions) {
      const events = await readAllEvents(t.dataSource.manager, session);
      expect(events.filter((e) => e.type === 'vitals.recorded')).toHaveLength(48);
      expect(await projectedSeqs(session)).toEqual(ruleKeeps(events));
    }
  });

  it('ranks a reading measured after its commit at its commit time (a device clock far ahead does not pin the kind)', async () => {
    const session = await makeSession(t.dataSource, { patient, clinician });
    await store.append([vitals(session, 'ahead', [['spo2', '9999-12-31T00:00:00.000Z']])]);
    const now = Date.now();
    const [row] = await projection(session);
    expect(row.seq).toBe(1);
    expect(Math.abs(Number(row.rank) - now)).toBeLessThan(60_000);
    await store.append([vitals(session, 'next', [['spo2', new Date().toISOString()]])]);
    expect((await projection(session))[0].seq).toBe(2);
  });

  it("sends a board's latest watch of a long session exactly what the rule keeps, covering the log to its head", async () => {
    const session = await makeSession(t.dataSource, { patient, clinician });
    // 600 seconds of 1 Hz HR and SpO2, BP every 5 minutes, one temperature at the start.
    await store.append([vitals(session, 'temp', [['temperature', 0]])]);
    for (let s = 1; s <= 600; s += 50)
      await store.append(
        Array.from({ length: 50 }, (_, i) =>
          vitals(session, `s${s + i}`, [
            ['heart_rate', s + i],
            ['spo2', s + i],
            ...((s + i) % 300 === 0
              ? ([
                  ['bp_systolic', s + i],
                  ['bp_diastolic', s + i],
                ] as Array<[ReadingKind, number]>)
              : []),
          ]),
        ),
      );
    await t.app.get(AlertEngineService).whenIdle();
    const events = await readAllEvents(t.dataSource.manager, session);
    const board = connectLive(t.url, (await login(t.url, clinician)).accessToken);
    try {
      await connected(board);
      const ack: WatchAck = await board
        .timeout(10_000)
        .emitWithAck('session.watch', { sessionId: session, afterSeq: 0, readings: 'latest' });
      if (!ack.ok) throw new Error(JSON.stringify(ack));
      expect(ack.events).toEqual(withLatestReadingsOnly(events));
      expect(ack.events.map((e) => e.seq)).toEqual([1, 601]);
      expect(ack).toMatchObject({ headSeq: 601, upToSeq: 601 });
    } finally {
      board.disconnect();
    }
  });

  it('its migration fills the table from the stored events as the group commit kept it', async () => {
    const before = await t.dataSource.query(
      `SELECT session_id, kind, rank::text, seq::int FROM session_latest_readings ORDER BY 1, 2`,
    );
    expect(before.length).toBeGreaterThan(10);
    const runner = t.dataSource.createQueryRunner();
    try {
      const migration = new LatestReadings1764190050000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(
      await t.dataSource.query(
        `SELECT session_id, kind, rank::text, seq::int FROM session_latest_readings ORDER BY 1, 2`,
      ),
    ).toEqual(before);
  });
});
