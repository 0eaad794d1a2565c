/** The id of every page's `<main>`: the skip link's target. */
export const MAIN_ID = 'main-content';

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** True when the user is already typing somewhere: focus is theirs, not ours to move. */
function userIsTyping(doc: Document): boolean {
  const el = doc.activeElement as HTMLElement | null;
  return !!el && (TYPING.has(el.tagName) || el.isContentEditable);
}

/**
 * Moves focus to the page's main heading (the first `h1` inside `<main>`), so a screen reader
 * or keyboard user starts on the new page instead of on `<body>` or a control that is gone.
 * Returns false when there is no heading yet (the page is still loading) or the user is typing.
 */
export function focusMainHeading(doc: Document = document): boolean {
  if (userIsTyping(doc)) return false;
  const heading = doc.querySelector<HTMLElement>(`#${MAIN_ID} h1, main h1`);
  if (!heading) return false;
  if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
  return doc.activeElement === heading;
}

/**
 * Focuses the main heading as soon as it appears (pages render it once their data is in),
 * giving up after `timeoutMs`. Returns a cancel function for an effect's cleanup.
 */
export function focusMainHeadingWhenReady(doc: Document = document, timeoutMs = 3000): () => void {
  if (focusMainHeading(doc)) return () => undefined;
  const observer = new MutationObserver(() => {
    if (focusMainHeading(doc)) stop();
  });
  const timer = setTimeout(() => stop(), timeoutMs);
  function stop() {
    observer.disconnect();
    clearTimeout(timer);
  }
  observer.observe(doc.body, { childList: true, subtree: true });
  return stop;
}
