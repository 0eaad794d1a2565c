import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser';
import { http, login } from '../support/factories';
import { openBoard, seedBoardPatient, startBoardApp, type BoardApp } from './support/board';
import { clippedTileParts } from './support/tile-layout';

type Reading = [kind: string, value: number];

/** What each of the 13 patients sends: a mix a station sees on a real afternoon. */
const PATIENTS: Array<{
  name: string;
  readings?: Reading[];
  checkIn?: Record<string, unknown>;
  help?: boolean;
  /** A per-patient limit set by the clinician: the tile's notes line names it. */
  override?: { setting: string; value: number };
  expect?: RegExp;
}> = [
  {
    name: 'Ada Ash',
    readings: [
      ['bp_systolic', 186],
      ['bp_diastolic', 96],
    ],
    expect: /^SBP 186 \(limit 180\)$/,
  },
  { name: 'Ben Birch', readings: [['spo2', 89]], expect: /^SpO2 89 % \(limit 91\)$/ },
  { name: 'Cy Cedar', checkIn: { moaas: 2 }, expect: /^MOAA\/S 2 \(limit 2\)$/ },
  { name: 'Di Elm', help: true, expect: /^Help requested$/ },
  {
    name: 'Ed Fir',
    checkIn: { symptoms: ['chest_pain'] },
    expect: /^Emergency: chest pain$/,
  },
  { name: 'Flo Gum', readings: [['heart_rate', 128]], expect: /^HR 128 \(limit 120\)$/ },
  { name: 'Gus Hazel', checkIn: { moaas: 3 }, expect: /^MOAA\/S 3 \(limit 3\)$/ },
  { name: 'Hal Ivy', readings: [['resp_rate', 7]], expect: /^Resp\. rate 7 \(limit 8\)$/ },
  // Informational sedation and an override: both on the one notes line, below the device line.
  { name: 'Ina Juniper', checkIn: { moaas: 4 }, override: { setting: 'spo2Low', value: 88 } },
  { name: 'Jo Larch' },
  { name: 'Kit Maple' },
  { name: 'Lu Oak' },
  { name: 'Mo Pine' },
];

/**
 * The board as a station sees it with 13 live sessions (issue 12): every top alert read in full
 * at 1280x800 and 1920x1080, in plain words; screenshots to look at.
 */
describe('board with 13 sessions (Chromium)', () => {
  let board: BoardApp;

  beforeAll(async () => {
    board = await startBoardApp();
    const { t, clinician } = board;
    for (const [i, p] of PATIENTS.entries()) {
      const at = new Date(Date.now() - 2_000).toISOString();
      const base: Reading[] = [
        ['heart_rate', 72 + i],
        ['bp_systolic', 124 + i],
        ['bp_diastolic', 80],
        ['spo2', 97],
      ];
      const byKind = new Map([...base, ...(p.readings ?? [])]);
      const { patient, sessionId, token } = await seedBoardPatient(
        board,
        p.name,
        new Date(Date.now() - (3 + i) * 60_000),
        [...byKind].map(([kind, value]) => ({ kind, value, measuredAt: at, source: 'manual' })),
      );
      if (p.checkIn) {
        const res = await http(t.url, 'POST', `/api/sessions/${sessionId}/check-ins`, {
          token,
          body: { clientId: `b13-c-${i}`, ...p.checkIn },
        });
        expect(res.status).toBe(201);
      }
      if (p.override) {
        const res = await http(
          t.url,
          'PUT',
          `/api/patients/${patient.patientId}/overrides/${p.override.setting}`,
          {
            token: (await login(t.url, clinician)).accessToken,
            body: { value: p.override.value, reason: 'low baseline on record' },
          },
        );
        expect(res.status).toBe(200);
      }
      if (p.help) {
        const res = await http(t.url, 'POST', `/api/sessions/${sessionId}/help`, {
          token,
          body: { clientId: `b13-h-${i}` },
        });
        expect(res.status).toBe(201);
      }
    }
  }, 240_000);

  afterAll(async () => {
    await board?.browser.close();
    await board?.t.close();
  });

  async function openAlertingBoard(width: number, height: number): Promise<Page> {
    const page = await openBoard(board, width, height);
    const alerting = PATIENTS.filter((p) => p.expect).length;
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="tile-alert"]').length >= n,
      alerting,
      { timeout: 30_000 },
    );
    return page;
  }

  it.each([
    [1280, 800],
    [1920, 1080],
  ])('shows every top alert in plain words, in full, at %ix%i', async (width, height) => {
    const page = await openAlertingBoard(width, height);
    for (const p of PATIENTS.filter((x) => x.expect)) {
      const tile = page.getByTestId('tile').filter({ hasText: p.name });
      const text = await tile.locator('.tile-alert-msg').textContent();
      expect(text).toMatch(p.expect!);
    }
    const drowsy = page.getByTestId('tile').filter({ hasText: 'Ina Juniper' });
    expect(await drowsy.getByTestId('tile-info').textContent()).toContain(
      'Drowsy: MOAA/S 4, pre-dose 5',
    );
    expect(await drowsy.getByTestId('tile-overrides').textContent()).toContain('SpO2');
    await screenshot(page, `board-13-${width}x${height}`);
    // Every alert read in full; no value squeezed by RR (Hal Ivy), no line pushed out of the tile
    // by the notes (Ina Juniper).
    expect(await clippedTileParts(page)).toEqual([]);
    await page.close();
  });
});
