const ITEM = '[data-testid="alert-item"]';

/**
 * After an Acknowledge, whose button then disappears: move focus to the next alert still waiting
 * for one (after this one in the list, then from the top), else to this alert itself, so focus
 * never falls back to the top of the page. Alerts take focus as a whole (tabindex -1) so a
 * screen reader reads the alert, not just a button's name.
 */
export function focusNextAlert(current: HTMLElement): HTMLElement {
  const list = current.closest('ul, ol');
  const items = list ? [...list.querySelectorAll<HTMLElement>(ITEM)] : [current];
  const at = items.indexOf(current);
  const order = [...items.slice(at + 1), ...items.slice(0, Math.max(at, 0))];
  const waiting = order.find((el) => el.dataset.alertStatus === 'open') ?? current;
  if (!waiting.hasAttribute('tabindex')) waiting.tabIndex = -1;
  waiting.focus();
  return waiting;
}
