import type { Locator, Page } from 'playwright-core';
import { screenshot } from '../../support/browser';

/** The patient's phone: a 390x844 touch screen at twice the density. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  hasTouch: true,
};

/** What the phone's screen shows (the fixed help bar where it really is), not the full page. */
export function phoneView(page: Page, name: string): Promise<string> {
  return screenshot(page, name, { fullPage: false });
}

/** The phone's outbox entries for check-ins in one status (pending, delivered...). */
export function checkInItems(page: Page, status: string): Locator {
  return page.locator(`[data-testid="outbox-item"][data-kind="checkin"][data-status="${status}"]`);
}

/** A check-in as a patient makes it: alert (MOAA/S 5), a nausea score and a note, then send. */
export async function checkInOnPhone(
  page: Page,
  answers: { nausea: number; note: string },
): Promise<void> {
  await page.getByRole('button', { name: /check-in|check in now/i }).click();
  await page.getByRole('heading', { name: 'Check-in' }).waitFor();
  await page.getByLabel('Answers straight away, in a normal way').check();
  await page
    .getByRole('group', { name: /sick do you feel/ })
    .getByLabel(String(answers.nausea), { exact: true })
    .check();
  await page.getByLabel('Anything else? (optional)').fill(answers.note);
  await page.getByRole('button', { name: 'Send check-in' }).click();
}

/**
 * Whether a tap on the element would reach it: wholly inside the viewport and, at its centre,
 * not covered by anything else (a fixed bar, an overlay). Says what covers it when something does.
 */
export function reachable(target: Locator): Promise<string> {
  return target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    // A pixel of slack: scrolled into view, an edge may sit a fraction of a pixel outside.
    if (r.top < -1 || r.left < -1 || r.bottom > innerHeight + 1 || r.right > innerWidth + 1)
      return `outside the viewport (${[r.left, r.top, r.right, r.bottom].map(Math.round).join(', ')} in ${innerWidth}x${innerHeight})`;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit && (hit === el || el.contains(hit))) return 'reachable';
    return `covered by ${hit?.tagName.toLowerCase()}.${hit?.className}`;
  });
}
