import { useLayoutEffect, useState, type RefObject } from 'react';

/** Boards up to this size render every tile; bigger ones only the rows on screen. */
export const WINDOW_FROM = 60;
/** Rows rendered above and below the screen, so a scroll never shows an empty row. */
const OVERSCAN_ROWS = 2;

export interface TileWindow {
  first: number;
  last: number;
  padTop: number;
  padBottom: number;
}

/**
 * Which tiles of a fixed-height tile grid are on screen. The grid's own layout says how many
 * columns it has and how tall a row is; the window's scroll says which rows show. With 200
 * sessions this keeps the board at a few dozen tiles in the DOM instead of 200.
 */
export function useTileWindow(grid: RefObject<HTMLElement | null>, count: number): TileWindow {
  const all = { first: 0, last: count, padTop: 0, padBottom: 0 };
  const [win, setWin] = useState<TileWindow>(all);
  useLayoutEffect(() => {
    const el = grid.current;
    if (!el || count < WINDOW_FROM) {
      setWin({ first: 0, last: count, padTop: 0, padBottom: 0 });
      return;
    }
    let frame = 0;
    const measure = () => {
      frame = 0;
      const style = getComputedStyle(el);
      const columns = Math.max(1, style.gridTemplateColumns.split(' ').filter(Boolean).length);
      const tile = el.querySelector<HTMLElement>('[data-testid="tile"]');
      const gap = Number.parseFloat(style.rowGap) || 0;
      // The tile's own height, fractions kept: offsetHeight rounds, and a quarter pixel a row
      // adds up over 35 rows.
      const rowHeight = (tile?.getBoundingClientRect().height || 180) + gap;
      const rows = Math.ceil(count / columns);
      const top = el.getBoundingClientRect().top + window.scrollY;
      const from = Math.max(0, Math.floor((window.scrollY - top) / rowHeight) - OVERSCAN_ROWS);
      const to = Math.min(
        rows,
        Math.ceil((window.scrollY + window.innerHeight - top) / rowHeight) + OVERSCAN_ROWS,
      );
      const next = {
        first: from * columns,
        last: Math.min(count, to * columns),
        padTop: from * rowHeight,
        padBottom: Math.max(0, (rows - to) * rowHeight),
      };
      // Every field: near the board's end (no padding below) a row height changed by the
      // wall display's type leaves the same tiles rendered and only the padding above moves.
      setWin((w) =>
        w.first === next.first &&
        w.last === next.last &&
        w.padTop === next.padTop &&
        w.padBottom === next.padBottom
          ? w
          : next,
      );
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    measure();
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    // The first measure can come before the board's stylesheet or its larger wall-display type
    // applies: with the tiles' height changed, rows placed by the old one left the board's end
    // below a scroll to the bottom. A change of the grid's size measures again (once: the same
    // window leaves the padding, hence the size, as it is).
    const resized = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(schedule);
    resized?.observe(el);
    return () => {
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      resized?.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [grid, count]);
  return count < WINDOW_FROM ? all : { ...win, last: Math.min(win.last, count) };
}
