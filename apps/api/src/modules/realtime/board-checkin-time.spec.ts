/**
 * The board summary's lastCheckInAt (board.updated, docs/API.md) says when the check-in was made
 * as the engine and the session view count it (arrival - waitedMs, v1.10; the latest made wins),
 * not when a poor network let it in (found by a review of v1.10).
 */
import type { BoardSummary, SessionEvent } from '@vigil/contracts';
import type { DataSource } from 'typeorm';
import { systemClock } from '../../common/clock';
import { BoardService } from './board.service';
import { routingAnswers } from './testing/board-routing-answers';

const checkIn = (seq: number, at: string, data: Record<string, unknown>): SessionEvent => ({
  sessionId: 's1',
  seq,
  type: 'checkin.recorded',
  at,
  actorId: null,
  data,
});

async function tileAfter(events: SessionEvent[]): Promise<BoardSummary> {
  const dataSource = { query: routingAnswers({ s1: [] }) } as unknown as DataSource;
  const board = new BoardService(dataSource, systemClock);
  const sent: BoardSummary[] = [];
  board.attach((routes) => sent.push(...routes.map((r) => r.summary)));
  await board.onModuleDestroy();
  board.observe(events);
  await board.flush();
  return sent[sent.length - 1];
}

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
