import { ShutdownState } from '../../common/shutdown-state';
import type { BoardSummary, SessionEvent } from '@vigil/contracts';
import type { DataSource } from 'typeorm';
import { systemClock } from '../../common/clock';
import { boardBatchRoom, boardPackets, type BoardRoute } from './board-delivery';
import { BoardService, clinicianBoard, SUPERVISOR_BOARD } from './board.service';
import { routingAnswers } from './testing/board-routing-answers';

const checkIn = (sessionId: string, seq: number): SessionEvent => ({
  sessionId,
  seq,
  type: 'checkin.recorded',
  at: '2026-12-01T10:00:00.000Z',
  actorId: null,
  data: { moaas: 5 },
});

/** A flush of these sessions, each assigned to the listed clinicians. */
async function flushOf(assigned: Record<string, string[]>): Promise<BoardRoute[][]> {
  const dataSource = { query: routingAnswers(assigned) } as unknown as DataSource;
  const board = new BoardService(dataSource, systemClock, new ShutdownState());
  const flushes: BoardRoute[][] = [];
  board.attach((routes) => flushes.push(routes));
  await board.onModuleDestroy();
  board.observe(Object.keys(assigned).flatMap((id) => [checkIn(id, 1), checkIn(id, 2)]));
  await board.flush();
  return flushes;
}

const ids = (summaries: BoardSummary[]) => summaries.map((s) => s.sessionId).sort();

describe('board batching', () => {
  it('hands a whole flush over at once, each session once with its allowed rooms', async () => {
    const flushes = await flushOf({ s1: ['a'], s2: ['a', 'b'], s3: [] });
    expect(flushes).toHaveLength(1);
    const rooms = Object.fromEntries(flushes[0].map((r) => [r.summary.sessionId, r.rooms]));
    expect(rooms).toEqual({
      s1: [SUPERVISOR_BOARD, clinicianBoard('a')],
      s2: [SUPERVISOR_BOARD, clinicianBoard('a'), clinicianBoard('b')],
      s3: [SUPERVISOR_BOARD],
    });
    expect(flushes[0].find((r) => r.summary.sessionId === 's2')?.summary.headSeq).toBe(2);
  });

  it('sends each batch room only the summaries of its own sessions', async () => {
    const [routes] = await flushOf({ s1: ['a'], s2: ['a', 'b'], s3: ['b'], s4: [] });
    const everyBatchRoom = new Set(
      [SUPERVISOR_BOARD, clinicianBoard('a'), clinicianBoard('b')].map(boardBatchRoom),
    );
    const { updated, batches } = boardPackets(routes, (room) => everyBatchRoom.has(room));
    expect(updated).toEqual([]); // nobody asked for the v1 form
    const byRoom = new Map(batches.flatMap((b) => b.rooms.map((r) => [r, ids(b.summaries)])));
    expect(byRoom).toEqual(
      new Map([
        [boardBatchRoom(SUPERVISOR_BOARD), ['s1', 's2', 's3', 's4']],
        [boardBatchRoom(clinicianBoard('a')), ['s1', 's2']],
        [boardBatchRoom(clinicianBoard('b')), ['s2', 's3']],
      ]),
    );
    expect(batches).toHaveLength(3);
  });

  it('sends one packet to rooms that see the same sessions, however many rooms', async () => {
    const [routes] = await flushOf({ s1: ['a', 'b', 'c'], s2: ['a', 'b', 'c'], s3: ['c'] });
    const { batches } = boardPackets(routes, (room) => room.startsWith('batch:board:clinician'));
    expect(batches.map((b) => [b.rooms, ids(b.summaries)])).toEqual([
      [
        [boardBatchRoom(clinicianBoard('a')), boardBatchRoom(clinicianBoard('b'))],
        ['s1', 's2'],
      ],
      [[boardBatchRoom(clinicianBoard('c'))], ['s1', 's2', 's3']],
    ]);
  });

  it('keeps one board.updated per summary for the v1 rooms, and skips rooms nobody is in', async () => {
    const [routes] = await flushOf({ s1: ['a'], s2: ['b'] });
    const occupied = new Set([clinicianBoard('a'), boardBatchRoom(SUPERVISOR_BOARD)]);
    const { updated, batches } = boardPackets(routes, (room) => occupied.has(room));
    expect(updated.map((u) => [u.rooms, u.summary.sessionId])).toEqual([
      [[clinicianBoard('a')], 's1'],
    ]);
    expect(batches.map((b) => [b.rooms, ids(b.summaries)])).toEqual([
      [[boardBatchRoom(SUPERVISOR_BOARD)], ['s1', 's2']],
    ]);
  });

  it('asks the adapter about each room and its batch room once per flush, not once per summary', async () => {
    const [routes] = await flushOf({ s1: ['a', 'b'], s2: ['a', 'b'], s3: ['a'] });
    const asked: string[] = [];
    const { batches } = boardPackets(routes, (room) => {
      asked.push(room);
      return room === boardBatchRoom(clinicianBoard('a'));
    });
    const rooms = [SUPERVISOR_BOARD, clinicianBoard('a'), clinicianBoard('b')];
    expect(asked.sort()).toEqual([...rooms, ...rooms.map(boardBatchRoom)].sort());
    expect(batches.map((b) => ids(b.summaries))).toEqual([['s1', 's2', 's3']]);
  });

  it('sends nothing when no session changed', async () => {
    expect(await flushOf({})).toEqual([]);
  });
});
