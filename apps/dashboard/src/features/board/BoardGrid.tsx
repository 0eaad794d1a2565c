import { useLayoutEffect, useRef, type FocusEvent } from 'react';
import { SessionTile } from './SessionTile';
import type { TileView } from './tile-view';
import { useTileWindow } from './useTileWindow';

/**
 * The board's tiles, most at risk first, only the rows on screen (and a few around them) in the
 * DOM.
 *
 * Each tile is keyed by its place on the board, not by its session: when the risk order moves,
 * a place shows another session and its text changes, while the elements stay where they are. A
 * tile keyed by its session would be moved instead, and React moves every tile a session passes
 * on its way up (one session rising from 40th to 5th moved 35), each detached and attached again
 * by the browser (its style and layout worked out anew), and a session entering the rendered rows
 * mounted a new tile (and its IntersectionObserver) while another was removed.
 *
 * Keyboard focus follows the patient, not the place: a tile whose place now shows another session
 * hands its focus to that patient's tile, or to the board when the patient left the rendered
 * rows, so Enter never opens a patient the clinician did not choose.
 */
export function BoardGrid({ tiles }: { tiles: readonly TileView[] }) {
  const grid = useRef<HTMLUListElement>(null);
  const win = useTileWindow(grid, tiles.length);
  const shown = tiles.slice(win.first, win.last);
  // The session whose tile holds keyboard focus, if one does.
  const focused = useRef<string | null>(null);

  useLayoutEffect(() => {
    const el = grid.current;
    const sessionId = focused.current;
    const active = document.activeElement;
    if (!el || sessionId === null || !active || !el.contains(active)) return;
    const tile = active.closest<HTMLElement>('[data-testid="tile"]');
    if (tile?.dataset.sessionId === sessionId) return;
    const moved = el.querySelector<HTMLElement>(
      `[data-testid="tile"][data-session-id="${CSS.escape(sessionId)}"] .tile-name`,
    );
    // Not scrolled to: the board stays still under the clinician's eyes.
    if (moved) moved.focus({ preventScroll: true });
    else {
      focused.current = null;
      el.focus({ preventScroll: true });
    }
  });

  const onFocus = (e: FocusEvent<HTMLUListElement>) => {
    const tile = (e.target as Element).closest<HTMLElement>('[data-testid="tile"]');
    focused.current = tile?.dataset.sessionId ?? null;
  };
  const onBlur = (e: FocusEvent<HTMLUListElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget)) focused.current = null;
  };

  return (
    <ul
      ref={grid}
      className="board"
      aria-label="Sessions, most at risk first"
      // Focusable by script only: where focus goes when the focused patient left the rows shown.
      tabIndex={-1}
      onFocus={onFocus}
      onBlur={onBlur}
      style={{ paddingTop: win.padTop, paddingBottom: win.padBottom }}
      data-rendered={shown.length}
    >
      {shown.map((t, i) => (
        <SessionTile key={win.first + i} view={t} />
      ))}
    </ul>
  );
}
