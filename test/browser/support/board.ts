import type { Browser, Page } from 'playwright-core';
import { systemClock } from '../../../apps/api/src/common/clock';
import { ensureDashboardBuilt, launchBrowser, loginAs } from '../../support/browser';
import {
  assign,
  http,
  login,
  makeSession,
  makeUser,
  TEST_PASSWORD,
  type TestUser,
} from '../../support/factories';
import { createTestApp, type TestApp } from '../../support/test-app';

export interface BoardApp {
  t: TestApp;
  browser: Browser;
  /** The station's clinician, every seeded patient assigned to them. */
  clinician: TestUser;
}

/**
 * The API (production mode: no demo sessions on the board) serving the built dashboard on the
 * wall clock (the tiles' ages are judged in the browser), a clinician and a Chromium.
 */
export async function startBoardApp(): Promise<BoardApp> {
  const dist = ensureDashboardBuilt();
  const t = await createTestApp({ env: { DASHBOARD_DIST: dist }, clock: systemClock });
  const clinician = await makeUser(t.dataSource, 'clinician', 'Dr Station');
  return { t, browser: await launchBrowser(), clinician };
}

export interface BoardReading {
  kind: string;
  value: number;
  measuredAt: string;
  source?: 'manual' | 'device';
}

export interface BoardPatient {
  patient: TestUser;
  sessionId: string;
  /** The patient's access token, for what they send next (a check-in, help); none without readings. */
  token: string | undefined;
}

/**
 * A patient of the station's clinician in monitoring, dosed at `dosedAt`, and the readings
 * their phone sent (none: a tile with a dash in each cell).
 */
export async function seedBoardPatient(
  { t, clinician }: BoardApp,
  name: string,
  dosedAt: Date,
  readings: BoardReading[] = [],
): Promise<BoardPatient> {
  const patient = await makeUser(t.dataSource, 'patient', name);
  await assign(t.dataSource, clinician, patient);
  const sessionId = await makeSession(t.dataSource, { patient, clinician, dosedAt });
  if (readings.length === 0) return { patient, sessionId, token: undefined };
  const token = (await login(t.url, patient)).accessToken;
  const res = await http(t.url, 'POST', `/api/sessions/${sessionId}/vitals`, {
    token,
    body: { clientId: `board-${sessionId}`, readings },
  });
  if (res.status !== 201) throw new Error(`vitals for ${name}: ${res.status}`);
  return { patient, sessionId, token };
}

/**
 * The clinician's board at a station's screen size, signed in, the notification offer declined.
 * `init` runs in the page before its own scripts (a station's clock set wrong, say).
 */
export async function openBoard(
  { t, browser, clinician }: BoardApp,
  width: number,
  height: number,
  init?: () => void,
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  if (init) await page.addInitScript(init);
  await loginAs(page, t.url, clinician.email, TEST_PASSWORD);
  await page.waitForURL('**/board');
  await page.getByRole('button', { name: 'Not now' }).click();
  return page;
}

/** How many tiles lie wholly inside the viewport, without scrolling. */
export function fullyVisibleTiles(page: Page): Promise<number> {
  return page.evaluate(() => {
    window.scrollTo(0, 0);
    const w = window.innerWidth;
    const h = window.innerHeight;
    return [...document.querySelectorAll('[data-testid="tile"]')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= h && r.right <= w;
    }).length;
  });
}
