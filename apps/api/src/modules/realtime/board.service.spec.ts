import { ShutdownState } from '../../common/shutdown-state';
import type { BoardSummary, SessionEvent } from '@vigil/contracts';
import type { DataSource } from 'typeorm';
import { systemClock } from '../../common/clock';
import type { BoardSeed } from './board.repository';
import { BoardService } from './board.service';
import { routingAnswers } from './testing/board-routing-answers';

const vitals = (seq: number, at: string, value: number, measuredAt: string): SessionEvent => ({
  sessionId: 's1',
  seq,
  type: 'vitals.recorded',
  at,
  actorId: null,
  data: { readings: [{ kind: 'spo2', value, measuredAt }] },
});

/** One monitored session, assigned to no clinician. */
const routingRows = routingAnswers({ s1: [] });

async function tileAfter(events: SessionEvent[]): Promise<BoardSummary> {
  const dataSource = {
    query: routingRows,
  } as unknown as DataSource;
  const board = new BoardService(dataSource, systemClock, new ShutdownState());
  const sent: BoardSummary[] = [];
  board.attach((routes) => sent.push(...routes.map((r) => r.summary)));
  await board.onModuleDestroy();
  board.observe(events);
  await board.flush();
  return sent[sent.length - 1];
}

describe('board tile vitals', () => {
  it('shows the newest reading received, not one dated in year 9999', async () => {
    const tile = await tileAfter([
      vitals(1, '2026-12-01T10:00:00.000Z', 97, '9999-12-31T23:59:59.000Z'),
      vitals(2, '2026-12-01T10:00:05.000Z', 84, '2026-12-01T10:00:04.000Z'),
    ]);
    expect(tile.latestVitals.spo2).toEqual({ value: 84, measuredAt: '2026-12-01T10:00:04.000Z' });
  });

  it('keeps a newer reading when an older one is uploaded late, whatever the offset', async () => {
    const tile = await tileAfter([
      vitals(1, '2026-12-01T10:00:05.000Z', 90, '2026-12-01T11:00:04+01:00'),
      vitals(2, '2026-12-01T10:00:09.000Z', 96, '2026-12-01T09:59:00.000Z'),
    ]);
    expect(tile.latestVitals.spo2?.value).toBe(90);
  });
});

describe('board flush', () => {
  const reading = vitals(1, '2026-12-01T10:00:00.000Z', 97, '2026-12-01T10:00:00.000Z');

  it('keeps the sessions of a failed flush due, so the next flush sends them', async () => {
    let fail = true;
    const dataSource = {
      query: (sql: string) =>
        fail ? Promise.reject(new Error('Connection terminated')) : routingRows(sql),
    } as unknown as DataSource;
    const board = new BoardService(dataSource, systemClock, new ShutdownState());
    const sent: string[] = [];
    board.attach((routes) => sent.push(...routes.map((r) => r.summary.sessionId)));
    await board.onModuleDestroy();
    board.observe([reading]);
    await expect(board.flush()).rejects.toThrow('Connection terminated');
    fail = false;
    await board.flush();
    expect(sent).toEqual(['s1']);
  });

  it('waits on shutdown for the flush in flight', async () => {
    let release: (rows: unknown[]) => void = () => undefined;
    const dataSource = {
      query: () => new Promise((resolve) => (release = resolve)),
    } as unknown as DataSource;
    const board = new BoardService(dataSource, systemClock, new ShutdownState());
    board.attach(() => undefined);
    board.observe([reading]);
    const flushing = board.flush();
    let stopped = false;
    const stopping = board.onModuleDestroy().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    release([]);
    await flushing;
    await stopping;
    expect(stopped).toBe(true);
  });
});

describe("board tile's open alert priority", () => {
  const alertEvent = (seq: number, type: string, data: Record<string, unknown>): SessionEvent =>
    ({
      sessionId: 's1',
      seq,
      type,
      at: '2026-12-01T10:00:00.000Z',
      actorId: null,
      data: { alertId: 'a1', condition: 'spo2_low', message: 'SpO2 93 (limit 93)', ...data },
    }) as unknown as SessionEvent;

  it('follows an alert.updated: a medium alert risen to high is high on the tile', async () => {
    const tile = await tileAfter([
      alertEvent(1, 'alert.raised', { priority: 'medium' }),
      alertEvent(2, 'alert.updated', { priority: 'high', previousPriority: 'medium' }),
    ]);
    expect(tile.openAlertPriority).toBe('high');
  });

  it('shows an episode reopened after its auto-resolve as open again', async () => {
    const tile = await tileAfter([
      alertEvent(1, 'alert.raised', { priority: 'medium' }),
      alertEvent(2, 'alert.resolved', { priority: 'medium', auto: true }),
      alertEvent(3, 'alert.updated', { priority: 'medium', reopened: true }),
    ]);
    expect(tile.openAlertPriority).toBe('medium');
  });
});

const event = (seq: number, type: string, data: Record<string, unknown>): SessionEvent =>
  ({
    sessionId: 's1',
    seq,
    type,
    at: `2026-12-01T10:00:${String(seq).padStart(2, '0')}.000Z`,
    actorId: null,
    data,
  }) as unknown as SessionEvent;
const raised = (seq: number, alertId: string, priority: string) =>
  event(seq, 'alert.raised', { alertId, priority, condition: 'help', message: 'Help' });
const resolved = (seq: number, alertId: string) => event(seq, 'alert.resolved', { alertId });
const presence = (seq: number, to: string) => event(seq, 'presence.changed', { presence: to });
const reading = (seq: number, value: number) =>
  vitals(
    seq,
    `2026-12-01T10:00:${String(seq).padStart(2, '0')}.000Z`,
    value,
    '2026-12-01T10:00:00Z',
  );

/** A board on one instance, tracking s1, whose database holds `seed` of it. */
async function boardOver(seed: Partial<BoardSeed> = {}) {
  const dataSource = { query: routingAnswers({ s1: [] }, { s1: seed }) } as unknown as DataSource;
  const board = new BoardService(dataSource, systemClock, new ShutdownState());
  const sent: BoardSummary[] = [];
  board.attach((routes) => sent.push(...routes.map((r) => r.summary)));
  await board.onModuleDestroy();
  return { board, sent, last: () => sent[sent.length - 1] };
}

describe('board tile from events in any order (relayed and local)', () => {
  const events = [
    presence(1, 'online'),
    raised(2, 'a1', 'medium'),
    reading(3, 95),
    event(4, 'checkin.recorded', { moaas: 5 }),
    raised(5, 'a2', 'high'),
    resolved(6, 'a2'),
    presence(7, 'silent'),
    reading(8, 91),
  ];

  it('is the same tile whichever order the events of a session arrive in', async () => {
    const inOrder = await tileAfter(events);
    expect(inOrder).toMatchObject({
      headSeq: 8,
      presence: 'silent',
      openAlertPriority: 'medium',
      lastCheckInAt: '2026-12-01T10:00:04.000Z',
      latestVitals: { spo2: { value: 91 } },
    });
    const reversed = await tileAfter([...events].reverse());
    const shuffled = await tileAfter([5, 7, 0, 3, 6, 1, 4, 2].map((i) => events[i]));
    expect(reversed).toEqual(inOrder);
    expect(shuffled).toEqual(inOrder);
  });

  it('keeps an alert resolved when its raise arrives after the resolve', async () => {
    const tile = await tileAfter([resolved(6, 'a2'), raised(5, 'a2', 'high')]);
    expect(tile.openAlertPriority).toBeNull();
  });

  it("takes another instance's events into its tiles without sending them itself", async () => {
    const { board, sent, last } = await boardOver();
    board.observe([reading(1, 97)]);
    await board.flush();
    board.observeRelayed([raised(2, 'a1', 'high')]);
    await board.flush();
    expect(sent).toHaveLength(1);
    board.observe([reading(3, 96)]);
    await board.flush();
    expect(last()).toMatchObject({ headSeq: 3, openAlertPriority: 'high' });
  });

  it('leaves alone a session it does not track: a seed will cover it', async () => {
    const { board, sent } = await boardOver();
    board.observeRelayed([raised(2, 'a1', 'high')]);
    await board.flush();
    expect(sent).toEqual([]);
  });
});

describe('board tile seeded from the database', () => {
  it("starts a session's first summary from what was stored before (a restart)", async () => {
    const { board, last } = await boardOver({
      headSeq: 10,
      presence: 'online',
      lastCheckInAt: new Date('2026-12-01T09:55:00.000Z'),
      openAlerts: [{ id: 'a1', priority: 'high' }],
      readings: [
        {
          kind: 'spo2',
          seq: 9,
          at: '2026-12-01T09:59:00.000Z',
          readings: [
            { kind: 'heart_rate', value: 70, measuredAt: '2026-12-01T09:59:00.000Z' },
            { kind: 'spo2', value: 94, measuredAt: '2026-12-01T09:59:00.000Z' },
          ],
        },
      ],
    });
    board.observe([
      event(11, 'vitals.recorded', {
        readings: [{ kind: 'heart_rate', value: 72, measuredAt: '2026-12-01T10:00:11.000Z' }],
      }),
    ]);
    await board.flush();
    expect(last()).toEqual({
      sessionId: 's1',
      state: 'monitoring',
      headSeq: 11,
      presence: 'online',
      lastCheckInAt: '2026-12-01T09:55:00.000Z',
      openAlertPriority: 'high',
      patientMessageAt: null,
      // Only the kind the latest-readings row names is taken from its event.
      latestVitals: {
        spo2: { value: 94, measuredAt: '2026-12-01T09:59:00.000Z' },
        heart_rate: { value: 72, measuredAt: '2026-12-01T10:00:11.000Z' },
      },
    });
  });

  it('merges by seq: what was observed after the seed stands, what was before it is the seed', async () => {
    const { board, last } = await boardOver({
      headSeq: 10,
      presence: 'online',
      openAlerts: [{ id: 'a1', priority: 'high' }],
    });
    board.observe([
      // Seen before the seed was read, and covered by it: a2 was resolved by seq 10.
      raised(4, 'a2', 'medium'),
      // After the seed's head: a1 resolved, the device silent.
      resolved(11, 'a1'),
      presence(12, 'silent'),
    ]);
    await board.flush();
    expect(last()).toMatchObject({ headSeq: 12, openAlertPriority: null, presence: 'silent' });
    // Relayed late, older than the seed: changes nothing.
    board.observeRelayed([raised(3, 'a3', 'high'), presence(9, 'online')]);
    board.observe([reading(13, 97)]);
    await board.flush();
    expect(last()).toMatchObject({ headSeq: 13, openAlertPriority: null, presence: 'silent' });
  });

  it('reads the seed once per session, not per flush', async () => {
    const query = jest.fn(routingAnswers({ s1: [] }));
    const board = new BoardService(
      { query } as unknown as DataSource,
      systemClock,
      new ShutdownState(),
    );
    board.attach(() => undefined);
    await board.onModuleDestroy();
    for (let seq = 1; seq <= 3; seq++) {
      board.observe([reading(seq, 97)]);
      await board.flush();
    }
    const seeds = query.mock.calls.filter(([sql]) => sql.includes('session_latest_readings'));
    expect(seeds).toHaveLength(1);
  });
});

describe("board tile: a patient's message waiting for an answer (v1.11 patientMessageAt)", () => {
  const message = (seq: number, fromRole: string, at: string): SessionEvent => ({
    ...event(seq, 'message.sent', { text: 'x', fromRole, fromName: 'Someone' }),
    at,
  });

  it('shows when the patient wrote until someone on the care team writes back, in any order', async () => {
    const { board, last } = await boardOver({ headSeq: 0 });
    board.observe([message(1, 'patient', '2026-12-01T10:00:01.000Z')]);
    await board.flush();
    expect(last()).toMatchObject({ patientMessageAt: '2026-12-01T10:00:01.000Z' });
    // The clinician's answer, committed on another instance, arrives before a later event here.
    board.observeRelayed([message(3, 'clinician', '2026-12-01T10:02:00.000Z')]);
    board.observe([message(2, 'patient', '2026-12-01T10:01:00.000Z')]);
    await board.flush();
    expect(last()).toMatchObject({ patientMessageAt: null });
  });

  it("starts from the session's last message in the database (a restart)", async () => {
    const { board, last } = await boardOver({
      headSeq: 5,
      lastMessage: { fromRole: 'patient', at: '2026-12-01T09:58:00+00:00', seq: 5 },
    });
    board.observe([reading(6, 97)]);
    await board.flush();
    expect(last()).toMatchObject({ patientMessageAt: '2026-12-01T09:58:00.000Z' });
  });
});

// The board summary's lastCheckInAt (board.updated, docs/API.md) says when the check-in was made,
// as the engine and the session view count it (arrival - waitedMs, v1.10; the latest made wins),
// not when a poor network let it in (found by a review of v1.10).
const checkIn = (seq: number, at: string, data: Record<string, unknown>): SessionEvent => ({
  sessionId: 's1',
  seq,
  type: 'checkin.recorded',
  at,
  actorId: null,
  data,
});

describe('board tile lastCheckInAt for a check-in that waited on the phone (v1.10)', () => {
  it('is when it was made (arrival less waitedMs), as the engine counts it', async () => {
    const tile = await tileAfter([
      checkIn(1, '2026-12-07T10:25:00.000Z', { moaas: 5, waitedMs: 10 * 60_000 }),
    ]);
    expect(tile.lastCheckInAt).toBe('2026-12-07T10:15:00.000Z');
  });

  it('agrees with the engine when an older check-in arrives after a newer one', async () => {
    const tile = await tileAfter([
      checkIn(1, '2026-12-07T10:15:00.000Z', { moaas: 5 }),
      checkIn(2, '2026-12-07T10:20:00.000Z', { moaas: 4, waitedMs: 12 * 60_000 }),
    ]);
    expect(Date.parse(tile.lastCheckInAt!)).toBe(Date.parse('2026-12-07T10:15:00.000Z'));
  });
});
