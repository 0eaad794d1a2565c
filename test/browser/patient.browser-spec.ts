import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventsOf, type SessionEventsResponse, type SessionEventType } from '@vigil/contracts';
import { loginAs, screenshot } from '../support/browser';
import { http, login, TEST_PASSWORD } from '../support/factories';
import { connected, connectLive, recordEvents, sleep, until, watch } from '../support/live-client';
import type { TestApp } from '../support/test-app';
import {
  DEMO_PASSWORD as PASSWORD,
  scheduledPatient,
  startDemoApp,
  type DemoApp,
} from './support/demo-app';
import {
  checkInItems as item,
  checkInOnPhone as checkIn,
  PHONE,
  phoneView as view,
  reachable,
} from './support/phone';

/** The clinic's number on the help screen (Ofcom's drama range, as npm start's demo). */
const CARE_TEAM_PHONE = '+44 20 7946 0000';

/**
 * The patient's phone in real Chromium at 390x844 against the real API on real PostgreSQL
 * (demo mode, wall clock): check-ins received, a check-in made offline that survives the tab
 * being closed and is delivered exactly once, the help button, and screening to dose.
 */
describe('patient phone app (Chromium, 390x844)', () => {
  let demo: DemoApp;
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let clinicianToken: string;
  let sessionId: string;

  const allEvents = async (id: string) => {
    const res = await http(t.url, 'GET', `/api/sessions/${id}/events?after=0&limit=1000`, {
      token: clinicianToken,
    });
    expect(res.status).toBe(200);
    return (res.body as SessionEventsResponse).events;
  };
  const events = async <T extends SessionEventType>(id: string, type: T) =>
    eventsOf(await allEvents(id), type);

  beforeAll(async () => {
    demo = await startDemoApp({ env: { CARE_TEAM_PHONE } });
    ({ t, browser, sessionId, clinicianToken } = demo);
    context = await browser.newContext(PHONE);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('logs patient1 in to today\'s session and a check-in is "received by your care team"', async () => {
    await loginAs(page, t.url, 'patient1@vigil.demo', PASSWORD);
    await page.waitForURL('**/patient');
    await page.getByTestId('session-clock').waitFor();
    const clock = page.getByTestId('session-clock');
    const first = await clock.textContent();
    expect(first).toMatch(/^0:1\d:\d\d$/);
    await page.getByTestId('sync-status').filter({ hasText: 'Connected' }).waitFor();
    await sleep(1100);
    expect(await clock.textContent()).not.toBe(first);
    await view(page, 'patient-monitoring');
    // The page's heading is for screen readers only (it showed, large, above the clock: the
    // class that hides it was in the workspace's stylesheet, which the phone does not load).
    const heading = await page
      .getByRole('heading', { name: 'Your session with Vigil' })
      .boundingBox();
    expect(heading?.height).toBeLessThanOrEqual(1);
    // The phone's presence heartbeat marks the device online for the care team.
    let presence: string[] = [];
    for (let i = 0; i < 50 && presence.length === 0; i++) {
      presence = (await events(sessionId, 'presence.changed')).map((e) => String(e.data.presence));
      if (presence.length === 0) await sleep(200);
    }
    expect(presence).toContain('online');

    await page.getByRole('button', { name: 'Check in now' }).click();
    await page.getByRole('heading', { name: 'Check-in' }).waitFor();
    await view(page, 'patient-checkin-form-top');
    await page.getByRole('group', { name: /detached/ }).scrollIntoViewIfNeeded();
    await view(page, 'patient-checkin-form-scales');
    await screenshot(page, 'patient-checkin-form');
    await page.getByRole('button', { name: 'Back' }).click();

    await checkIn(page, { nausea: 2, note: 'online check-in' });
    await item(page, 'delivered').filter({ hasText: 'Received by your care team' }).waitFor();
    await view(page, 'patient-checkin-received');
    const recorded = await events(sessionId, 'checkin.recorded');
    expect(recorded.map((e) => e.data.note)).toEqual(['online check-in']);
    expect(recorded[0].data).toMatchObject({ moaas: 5, nausea: 2 });
  });

  it('keeps a check-in made offline on the phone through a closed tab, then delivers it exactly once', async () => {
    await context.setOffline(true);
    await page.getByTestId('sync-status').filter({ hasText: 'No connection' }).waitFor();
    await checkIn(page, { nausea: 4, note: 'offline check-in' });
    await item(page, 'pending').filter({ hasText: 'Saved on this phone, not sent yet' }).waitFor();
    await page.getByTestId('sync-status').filter({ hasText: '1 waiting to send' }).waitFor();
    await screenshot(page, 'patient-checkin-offline');

    // The tab is closed offline and opened again later, online (a reload with no network, served
    // by the service worker, is pwa.browser-spec.ts).
    await sleep(1500);
    expect((await events(sessionId, 'checkin.recorded')).length).toBe(1);
    await page.close();
    await context.setOffline(false);

    page = await context.newPage();
    await page.goto(`${t.url}/patient`);
    await item(page, 'delivered').nth(1).waitFor({ timeout: 20_000 });
    expect(await item(page, 'pending').count()).toBe(0);
    await page.getByTestId('sync-status').filter({ hasText: 'everything is sent' }).waitFor();
    await screenshot(page, 'patient-checkin-delivered-after-reopen');

    await sleep(2000); // time for any stray retry to land
    const notes = (await events(sessionId, 'checkin.recorded')).map((e) => e.data.note);
    expect(notes).toEqual(['online check-in', 'offline check-in']);
  });

  it('raises a help request with one tap and a confirmation; a watching clinician gets it', async () => {
    const clinician = connectLive(t.url, clinicianToken);
    await connected(clinician);
    const seen = recordEvents(clinician);
    const ack = await watch(clinician, sessionId, (await allEvents(sessionId)).at(-1)!.seq);
    expect(ack.ok).toBe(true);

    await page.getByRole('button', { name: 'Get help' }).click();
    await page.getByRole('alertdialog', { name: 'Get help now?' }).waitFor();
    await view(page, 'patient-help-confirm');
    await page.getByRole('button', { name: 'Yes, alert my care team' }).click();
    await page.getByRole('heading', { name: 'Your care team has been alerted' }).waitFor();
    await page
      .getByTestId('help-status')
      .filter({ hasText: 'Received by your care team' })
      .waitFor();
    expect(await page.getByRole('dialog').textContent()).toContain(
      'Call emergency services now if the patient has',
    );
    await view(page, 'patient-help-guidance');
    // The dialog's end, scrolled to (a viewport shot): the emergency numbers to tap and the way
    // back; then each number, the care team's too, scrolled to: none of them under the help bar,
    // another layer or the screen's edge.
    await page.locator('.pt-overlay-full').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await sleep(200);
    await view(page, 'patient-help-end');
    const back = page.getByRole('button', { name: 'Back to my session' });
    expect(await reachable(back)).toBe('reachable');
    const numbers = [
      page.getByRole('link', { name: `Call your care team on ${CARE_TEAM_PHONE}` }),
      page.getByRole('link', { name: 'Call 911 (US)' }),
      page.getByRole('link', { name: 'Call 999 (UK)' }),
      page.getByRole('link', { name: 'Call 112 (Europe)' }),
    ];
    for (const number of numbers) {
      await number.scrollIntoViewIfNeeded();
      expect(await reachable(number)).toBe('reachable');
    }
    expect(await numbers[0].getAttribute('href')).toBe('tel:+442079460000');

    await until(() => seen.some((e) => e.type === 'help.requested'), 10_000, 'help.requested');
    // The alert engine raises the high alert from the same event, where it is merged.
    await until(
      () => seen.some((e) => e.type === 'alert.raised' && e.data.priority === 'high'),
      10_000,
      'a high alert',
    );
    const alert = seen.find((e) => e.type === 'alert.raised')!;
    console.log(`clinician socket received: ${JSON.stringify(alert.data)}`);
    expect(alert.data).toMatchObject({ priority: 'high', condition: 'help' });
    expect((await events(sessionId, 'help.requested')).length).toBe(1);
    clinician.disconnect();
    await page.getByRole('button', { name: 'Back to my session' }).click();
  });

  it('takes a new session from screening to dose: a no-go BP blocks it until a clinician overrides', async () => {
    const { patient, sessionId: id } = await scheduledPatient(demo, 'Sam Fresh');
    const token = (await login(t.url, patient)).accessToken;

    const phone = await browser.newContext(PHONE);
    const p = await phone.newPage();
    await loginAs(p, t.url, patient.email, TEST_PASSWORD);
    await p.getByRole('heading', { name: 'Before the dose' }).waitFor();
    await view(p, 'patient-screening-form');

    await p.getByRole('button', { name: 'Send to my care team' }).click();
    await p.getByText('Some answers are missing').waitFor();
    await sleep(300); // the first missing answer is scrolled into view
    await view(p, 'patient-screening-missing');

    await p.getByLabel('Top number').fill('172');
    await p.getByLabel('Bottom number').fill('96');
    await p.getByLabel('Heart rate').fill('84');
    await p.getByLabel(/Oxygen/).fill('98');
    const yesNo = async (question: RegExp, answer: 'Yes' | 'No') =>
      p.getByRole('group', { name: question }).getByLabel(answer, { exact: true }).check();
    await yesNo(/18 or older/, 'Yes');
    await yesNo(/whole session/, 'Yes');
    await p.getByLabel('Their name').fill('Alex Support');
    await p.getByLabel('Their phone number').fill('+44 7700 900123');
    await yesNo(/no food for 4 hours/, 'Yes');
    await yesNo(/last 24 hours/, 'No');
    await yesNo(/raise blood pressure/, 'No');
    await view(p, 'patient-screening-today');
    await p.getByLabel('Answers straight away, in a normal way').check();
    for (const group of await p.locator('section[aria-label*="this week"] fieldset').all()) {
      await group.getByLabel('Not at all').check();
    }
    await p.getByRole('group', { name: /^9\. Thoughts/ }).scrollIntoViewIfNeeded();
    await view(p, 'patient-screening-phq9');
    await p.getByRole('button', { name: 'Send to my care team' }).click();

    await p.getByRole('heading', { name: 'Please wait for your clinician' }).waitFor();
    // The reading and the limit, in the engine's words (v1 "above ... 160/90", v2 ">= 160/100").
    expect(await p.locator('.pt-reasons').textContent()).toMatch(
      /Blood pressure 172\/96 (is above the no-go limit of 160\/90|>= 160\/100)/,
    );
    // v2: no re-measure before the protocol's rest after a no-go: a countdown, the button disabled.
    await p.getByRole('timer').waitFor();
    expect(await p.getByRole('button', { name: /^Measure again in \d+:\d\d$/ }).isDisabled()).toBe(
      true,
    );
    await view(p, 'patient-gate-no-go');

    const blocked = await http(t.url, 'POST', `/api/sessions/${id}/dose`, {
      token,
      body: {
        clientId: 'blocked-dose',
        doseMg: 100,
        route: 'oral',
        takenAt: new Date().toISOString(),
      },
    });
    expect(blocked.status).toBe(409);
    expect(blocked.body.message).toMatch(/blocked until a clinician overrides/);

    const override = await http(t.url, 'POST', `/api/sessions/${id}/override`, {
      token: clinicianToken,
      body: { clientId: 'ov-1', gate: 'pre_dose', reason: 'Repeat BP 150/88 by phone; proceed.' },
    });
    expect(override.status).toBe(201);

    // No reload: the override arrives over the socket and the screen moves on by itself.
    await p.getByRole('heading', { name: 'Ready for your dose' }).waitFor({ timeout: 15_000 });
    await p.getByText('Your clinician has said the session can go ahead').waitFor();
    await p.getByLabel('Dose', { exact: true }).fill('100');
    await p.getByLabel('Swallowed').check();
    await view(p, 'patient-dose-form');
    await p.getByRole('button', { name: 'I have taken the dose' }).click();
    await p.getByTestId('session-clock').waitFor();
    await p.locator('[data-kind="dose"][data-status="delivered"]').waitFor();
    // The phone sends the dose, then the start of monitoring, in that order.
    let changes: string[] = [];
    for (let i = 0; i < 50 && changes.length < 4; i++) {
      changes = (await events(id, 'session.state_changed')).map(
        (e) => `${String(e.data.from)}>${String(e.data.to)}`,
      );
      await sleep(200);
    }
    expect(changes).toEqual([
      'scheduled>screening',
      'screening>ready',
      'ready>dosed',
      'dosed>monitoring',
    ]);
    await p.locator('text=Next check-in in').waitFor();
    await view(p, 'patient-after-dose');

    await http(t.url, 'POST', `/api/sessions/${id}/transition`, {
      token: clinicianToken,
      body: { clientId: 'rec-1', action: 'begin_recovery' },
    });
    // Minutes after the dose: no override makes this a normal end (CLINICAL.md v2), so the
    // clinician ends it early, which is an abort with a reason.
    const abort = await http(t.url, 'POST', `/api/sessions/${id}/transition`, {
      token: clinicianToken,
      body: { clientId: 'end-1', action: 'abort', reason: 'Test: ended early by the clinician' },
    });
    expect(abort.status).toBe(201);
    await p.getByRole('heading', { name: 'Your session was stopped' }).waitFor({ timeout: 15_000 });
    await p.getByText('Test: ended early by the clinician').waitFor();
    expect(await p.textContent('body')).toContain('Do not drive');
    await view(p, 'patient-ended');
    await phone.close();
  });
});
