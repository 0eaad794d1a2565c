import { focusMainHeading, focusMainHeadingWhenReady } from './focus-main-heading';

describe('focusMainHeading', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('focuses the main h1 and makes it focusable by script only', () => {
    document.body.innerHTML =
      '<nav><a href="/x">x</a></nav><main id="main-content"><h1>Board</h1></main>';
    expect(focusMainHeading()).toBe(true);
    const h1 = document.querySelector('h1')!;
    expect(document.activeElement).toBe(h1);
    expect(h1.tabIndex).toBe(-1);
  });

  it('leaves focus alone while the user is typing in a field', () => {
    document.body.innerHTML = '<main><h1>Audit</h1><input aria-label="x" /></main>';
    document.querySelector('input')!.focus();
    expect(focusMainHeading()).toBe(false);
    expect(document.activeElement?.tagName).toBe('INPUT');
  });

  it('waits for a page that renders its heading once its data is in', async () => {
    document.body.innerHTML = '<main id="main-content"><p>Loading…</p></main>';
    const cancel = focusMainHeadingWhenReady(document, 1000);
    document.querySelector('main')!.innerHTML = '<h1>Pat One</h1>';
    await new Promise((r) => setTimeout(r, 0));
    expect(document.activeElement?.textContent).toBe('Pat One');
    cancel();
  });
});
