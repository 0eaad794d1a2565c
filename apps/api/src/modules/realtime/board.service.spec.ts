import type { BoardSummary, SessionEvent } from '@vigil/contracts';
import type { DataSource } from 'typeorm';
import { systemClock } from '../../common/clock';
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
  const board = new BoardService(dataSource, systemClock);
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
    const board = new BoardService(dataSource, systemClock);
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
    const board = new BoardService(dataSource, systemClock);
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
