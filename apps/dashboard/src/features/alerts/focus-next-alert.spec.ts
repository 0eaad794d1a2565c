import { focusNextAlert } from './focus-next-alert';

function list(statuses: string[]): HTMLElement[] {
  document.body.innerHTML = `<ul>${statuses
    .map(
      (s, i) => `<li data-testid="alert-item" data-alert-status="${s}" id="a${i}">alert ${i}</li>`,
    )
    .join('')}</ul>`;
  return [...document.querySelectorAll<HTMLElement>('li')];
}

describe('focusNextAlert', () => {
  it('moves focus to the next alert still waiting for an acknowledgement', () => {
    const items = list(['open', 'acknowledged', 'open']);
    expect(focusNextAlert(items[0])).toBe(items[2]);
    expect(document.activeElement).toBe(items[2]);
    expect(items[2].tabIndex).toBe(-1);
  });

  it('wraps round to an open alert above', () => {
    const items = list(['open', 'open', 'acknowledged']);
    expect(focusNextAlert(items[1])).toBe(items[0]);
  });

  it('stays on the acknowledged alert itself when no other waits', () => {
    const items = list(['acknowledged', 'open']);
    expect(focusNextAlert(items[1])).toBe(items[1]);
    expect(document.activeElement).toBe(items[1]);
  });
});
