import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  eventsOf,
  type SessionEventsResponse,
  type SessionEventType,
  type SessionSummary,
} from '@vigil/contracts';
import { systemClock } from '../../apps/api/src/common/clock';
import { ensureDashboardBuilt, launchBrowser, loginAs, screenshot } from '../support/browser';
import { http, login } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

const PASSWORD = 'vigil-demo';
const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true };

const NOTE = 'Patient settled, eyes closed, music on.';
const TO_PATIENT = 'How are you feeling right now?';
const REPLY = 'Calm, a bit floaty. All fine.';

/**
 * Notes and messages across two browsers against the real API on real PostgreSQL (demo mode,
 * wall clock): the clinician's session view adds a note and writes to the patient's phone; the
 * phone shows it, replies, and the reply appears live in the clinician's Messages panel.
 */
describe('session notes and messages (Chromium, clinician + phone)', () => {
  let t: TestApp;
  let browser: Browser;
  let desk: BrowserContext;
  let phone: BrowserContext;
  let clinician: Page;
  let patient: Page;
  let clinicianToken: string;
  let sessionId: string;

  const events = async <T extends SessionEventType>(type: T) => {
    const res = await http(t.url, 'GET', `/api/sessions/${sessionId}/events?after=0&limit=1000`, {
      token: clinicianToken,
    });
    expect(res.status).toBe(200);
    return eventsOf((res.body as SessionEventsResponse).events, type);
  };

  beforeAll(async () => {
    // Build the current UI, not whatever dist/dashboard was left by an earlier run.
    const previous = process.env.REBUILD_DASHBOARD;
    process.env.REBUILD_DASHBOARD = '1';
    let dist: string;
    try {
      dist = ensureDashboardBuilt();
    } finally {
      if (previous === undefined) delete process.env.REBUILD_DASHBOARD;
      else process.env.REBUILD_DASHBOARD = previous;
    }
    t = await createTestApp({
      env: { VIGIL_MODE: 'demo', DASHBOARD_DIST: dist },
      clock: systemClock,
    });
    clinicianToken = (await login(t.url, { email: 'clinician@vigil.demo' }, PASSWORD)).accessToken;
    const sessions = await fetch(`${t.url}/api/sessions?state=live`, {
      headers: { authorization: `Bearer ${clinicianToken}` },
    });
    expect(sessions.status).toBe(200);
    const live = (await sessions.json()) as SessionSummary[];
    const pat = live.filter((s) => s.patient.name === 'Pat One');
    expect(pat).toHaveLength(1);
    sessionId = pat[0].id;
    browser = await launchBrowser();
    desk = await browser.newContext(DESKTOP);
    phone = await browser.newContext(PHONE);
    clinician = await desk.newPage();
    patient = await phone.newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('adds a note and sends a message from the session view, the phone replies, the reply shows live', async () => {
    await loginAs(clinician, t.url, 'clinician@vigil.demo', PASSWORD);
    await clinician.waitForURL('**/board');
    await clinician.goto(`${t.url}/sessions/${sessionId}`);

    const notes = clinician.getByTestId('notes-panel');
    await notes.waitFor();
    await notes.getByLabel('New note').fill(NOTE);
    await notes.getByRole('button', { name: 'Add note' }).click();
    await notes.getByTestId('note').filter({ hasText: NOTE }).waitFor({ timeout: 10_000 });
    await notes.getByRole('heading', { name: 'Notes (1)' }).waitFor();

    const messages = clinician.getByTestId('messages-panel');
    await messages.getByLabel('Message to the patient').fill(TO_PATIENT);
    await messages.getByRole('button', { name: 'Send message' }).click();
    await messages
      .locator('[data-testid="message"][data-from="team"]')
      .filter({ hasText: TO_PATIENT })
      .waitFor({ timeout: 10_000 });
    // The message can arrive over the socket before the POST's answer, which is what clears the
    // box (a send whose answer is lost keeps its text and clientId for the retry): wait for it.
    const box = await messages.getByLabel('Message to the patient').elementHandle();
    await clinician.waitForFunction((el) => (el as HTMLTextAreaElement).value === '', box, {
      timeout: 10_000,
    });

    await loginAs(patient, t.url, 'patient1@vigil.demo', PASSWORD);
    await patient.waitForURL('**/patient');
    const card = patient.getByRole('region', { name: 'Messages with your care team' });
    await card
      .locator('[data-testid="pt-message"][data-from="team"]')
      .filter({ hasText: TO_PATIENT })
      .waitFor({ timeout: 15_000 });
    await card.getByLabel('Write a message').fill(REPLY);
    await card.getByRole('button', { name: 'Send' }).click();
    const mine = card
      .locator('[data-testid="pt-message"][data-from="me"]')
      .filter({ hasText: REPLY });
    await mine
      .getByTestId('pt-message-status')
      .filter({ hasText: 'Received by your care team' })
      .waitFor({ timeout: 15_000 });
    expect(await card.getByTestId('pt-message').count()).toBe(2);

    // No reload on the clinician's side: the reply arrives over the socket.
    const reply = messages
      .locator('[data-testid="message"][data-from="patient"]')
      .filter({ hasText: REPLY });
    await reply.waitFor({ timeout: 15_000 });
    expect(await reply.textContent()).toContain('Patient');
    await messages.getByRole('heading', { name: 'Messages (2)' }).waitFor();
    expect(await messages.getByTestId('message').allTextContents()).toEqual([
      expect.stringContaining(TO_PATIENT),
      expect.stringContaining(REPLY),
    ]);

    await messages.scrollIntoViewIfNeeded();
    await screenshot(clinician, 'messages-clinician-session');
    await card.scrollIntoViewIfNeeded();
    await screenshot(patient, 'messages-patient-phone');

    const added = await events('note.added');
    expect(added).toHaveLength(1);
    expect(added[0].data.text).toBe(NOTE);
    const sent = await events('message.sent');
    expect(sent).toHaveLength(2);
    expect(sent.map((e) => [e.data.fromRole, e.data.text])).toEqual([
      ['clinician', TO_PATIENT],
      ['patient', REPLY],
    ]);
  });
});
