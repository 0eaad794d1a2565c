import type { Browser } from 'playwright-core';
import { runAxe } from '../support/axe';
import { loginAs } from '../support/browser';
import { http } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { DEMO_PASSWORD, startDemoApp, type DemoApp } from './support/demo-app';
import { PHONE, phoneView } from './support/phone';

const CARE = '+44 20 7946 0000';

/**
 * A help press made with no network (390x844 phone), then the clinician ends the session, then
 * the network comes back: the press is refused (409 state). What the phone says at each step,
 * and axe-core on the not-reached alert (review h5).
 */
describe('help pressed offline, refused after the end', () => {
  let demo: DemoApp;
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    demo = await startDemoApp({ env: { CARE_TEAM_PHONE: CARE } });
    ({ t, browser } = demo);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('offline: tells the patient to call at once with the number; refused: an accessible alert', async () => {
    const context = await browser.newContext({ ...PHONE, bypassCSP: true });
    const p = await context.newPage();
    await loginAs(p, t.url, 'patient1@vigil.demo', DEMO_PASSWORD);
    await p.getByRole('button', { name: 'Get help' }).waitFor();

    await context.setOffline(true);
    await p.getByRole('button', { name: 'Get help' }).click();
    await p.getByRole('button', { name: 'Yes, alert my care team' }).click();
    await p.getByRole('heading', { name: 'Not sent yet: no connection' }).waitFor();
    await phoneView(p, 'not-reached-help-offline');
    const offline = {
      status: await p.getByTestId('help-status').textContent(),
      call: await p.getByRole('link', { name: `Call your care team on ${CARE}` }).isVisible(),
      focusInDialog: await p.evaluate(() => !!document.activeElement?.closest('[role="dialog"]')),
    };
    await p.getByRole('button', { name: 'Back to my session' }).click();

    const abort = await http(t.url, 'POST', `/api/sessions/${demo.sessionId}/transition`, {
      token: demo.clinicianToken,
      body: {
        clientId: 'not-reached-end-1',
        action: 'abort',
        reason: 'Test: ended by the clinician',
      },
    });
    expect(abort.status).toBe(201);
    await context.setOffline(false);
    // Whether the phone learns of the end (and moves to patient1's next session, scheduled an
    // hour on by the demo) before or after the refusal arrives, 15 s later the refused press must
    // still be shown. Seen: the notice shows for a moment then goes, or never shows at all.
    const notice = p.getByTestId('not-reached');
    const everShown = await notice
      .waitFor({ timeout: 15_000 })
      .then(() => true)
      .catch(() => false);
    await p.waitForTimeout(15_000);
    await phoneView(p, 'not-reached-later');
    const later = {
      everShown,
      notice: await notice.isVisible(),
      sync: await p.getByTestId('sync-status').textContent(),
      screen: await p.locator('main h2').first().textContent(),
    };
    console.log(JSON.stringify({ offline, later }, null, 2));
    if (later.notice) {
      const row = await runAxe(p, 'patient: help not reached');
      expect({
        role: await notice.getAttribute('role'),
        call: await notice
          .getByRole('link', { name: `Call your care team on ${CARE}` })
          .isVisible(),
        serious: row.counts.serious,
        critical: row.counts.critical,
      }).toEqual({ role: 'alert', call: true, serious: 0, critical: 0 });
    }
    expect(later).toMatchObject({ notice: true, sync: expect.stringContaining('not accepted') });
    expect(offline).toEqual({
      status: expect.stringContaining('Nobody has been alerted yet.'),
      call: true,
      focusInDialog: true,
    });

    // Read: the notice goes, and stays gone after a reload.
    await notice.getByRole('button', { name: 'I have read this' }).click();
    await notice.waitFor({ state: 'detached' });
    await p.reload();
    await p.getByTestId('sync-status').getByText('everything is sent').waitFor();
    expect(await notice.count()).toBe(0);
    await context.close();
  });
});
