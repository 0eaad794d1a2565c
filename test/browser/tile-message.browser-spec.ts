/**
 * A patient's message nobody has answered, on a drowsy patient's compact tile: the marker first
 * on the notes line, never cut, cut the informational line ("Drowsy: MOAA/S 4, pre-dose 5") to an
 * ellipsis (board.css: informational first and never cut). It now sits, short, on the tile's
 * foot. clippedTileParts checks nothing on the tile is cut, at both board sizes.
 */
import { http } from '../support/factories';
import { openBoard, seedBoardPatient, startBoardApp, type BoardApp } from './support/board';
import { clippedTileParts } from './support/tile-layout';

describe('compact tile with an unanswered message and an info line (Chromium)', () => {
  let board: BoardApp;

  beforeAll(async () => {
    board = await startBoardApp();
    const { t } = board;
    const at = new Date(Date.now() - 2_000).toISOString();
    const { sessionId, token } = await seedBoardPatient(
      board,
      'Ina Juniper',
      new Date(Date.now() - 5 * 60_000),
      [
        ['heart_rate', 72],
        ['bp_systolic', 124],
        ['bp_diastolic', 80],
        ['spo2', 97],
      ].map(([kind, value]) => ({
        kind: kind as string,
        value: value as number,
        measuredAt: at,
        source: 'manual' as const,
      })),
    );
    let res = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
      token,
      body: { clientId: 'h8-c', moaas: 4 },
    });
    expect(res.status).toBe(201);
    res = await http(t.url, 'POST', `/api/sessions/${sessionId}/messages`, {
      token,
      body: { clientId: 'h8-m', text: 'I feel very strange, is this normal?' },
    });
    expect(res.status).toBe(201);
  }, 240_000);

  afterAll(async () => {
    await board?.browser.close();
    await board?.t.close();
  });

  it.each([
    [1280, 800],
    [1920, 1080],
  ])('cuts nothing on the tile at %ix%i', async (width, height) => {
    const page = await openBoard(board, width, height);
    await page.getByTestId('tile-message').waitFor({ timeout: 30_000 });
    await page.getByTestId('tile-info').waitFor({ timeout: 30_000 });
    expect(await clippedTileParts(page)).toEqual([]);
    await page.close();
  });
});
