import { act, render, screen } from '@testing-library/react';
import { useRef } from 'react';
import { useTileWindow } from './useTileWindow';

/**
 * jsdom lays nothing out, so the layout the window reads is set here: a six-column grid whose top
 * is 100 px down the page, in a 1080 px window, with tiles of a height a test changes.
 */
const layout = { columns: 6, tileHeight: 180, gap: 8, gridTop: 100 };
let frames: FrameRequestCallback[] = [];

function Grid({ count }: { count: number }) {
  const grid = useRef<HTMLUListElement>(null);
  const win = useTileWindow(grid, count);
  const shown = Array.from({ length: win.last - win.first }, (_, i) => win.first + i);
  return (
    <ul
      ref={grid}
      data-testid="grid"
      style={{ paddingTop: win.padTop, paddingBottom: win.padBottom }}
    >
      {shown.map((i) => (
        <li key={i} data-testid="tile">
          {i}
        </li>
      ))}
    </ul>
  );
}

function scrollTo(y: number) {
  Object.defineProperty(window, 'scrollY', { value: y, configurable: true });
}

/** Runs the frame the window asked for, as the browser would after a scroll or a resize. */
function nextFrame() {
  const due = frames;
  frames = [];
  act(() => due.forEach((f) => f(0)));
}

beforeEach(() => {
  frames = [];
  Object.defineProperty(window, 'innerHeight', { value: 1080, configurable: true });
  scrollTo(0);
  jest.spyOn(window, 'requestAnimationFrame').mockImplementation((f) => frames.push(f));
  jest.spyOn(window, 'cancelAnimationFrame').mockImplementation(() => undefined);
  jest.spyOn(window, 'getComputedStyle').mockImplementation(
    () =>
      ({
        gridTemplateColumns: Array(layout.columns).fill('300px').join(' '),
        rowGap: `${layout.gap}px`,
      }) as CSSStyleDeclaration,
  );
  jest.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (
    this: Element,
  ) {
    const tile = this.getAttribute('data-testid') === 'tile';
    const top = tile ? 0 : layout.gridTop - window.scrollY;
    return { top, height: tile ? layout.tileHeight : 0 } as DOMRect;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  Object.assign(layout, { columns: 6, tileHeight: 180, gap: 8 });
});

describe('useTileWindow', () => {
  it('keeps the rows above the screen as tall as the rows are after the tiles grow, near the end of the board', () => {
    // 84 sessions in 14 rows of 188 px, scrolled to the last rows: rows 7 to 13 rendered.
    scrollTo(1900);
    render(<Grid count={84} />);
    const grid = screen.getByTestId('grid');
    expect(screen.getAllByTestId('tile')[0]).toHaveTextContent('42');
    expect(grid.style.paddingTop).toBe(`${7 * 188}px`);

    // A window moved to a 1920 px display takes the station board's larger type: the tile is
    // 191.25 px with an 8.5 px gap, still six columns, and the same rows are on screen.
    Object.assign(layout, { tileHeight: 191.25, gap: 8.5 });
    window.dispatchEvent(new Event('resize'));
    nextFrame();

    expect(screen.getAllByTestId('tile')[0]).toHaveTextContent('42');
    expect(grid.style.paddingBottom).toBe('0px');
    // Row 7 starts 7 rows of 199.75 px down the grid: the padding of 7 rows of 188 px left every
    // tile 82 px above the row the window believes it in, and the board jumped 82 px at the next
    // scroll that changed the rows rendered.
    expect(grid.style.paddingTop).toBe(`${7 * 199.75}px`);
  });

  it('moves the rendered rows and both paddings with a scroll', () => {
    scrollTo(0);
    render(<Grid count={200} />);
    const grid = screen.getByTestId('grid');
    // 34 rows; a 1080 px window from the top shows rows 0 to 5, two more below.
    expect(screen.getAllByTestId('tile')).toHaveLength(8 * 6);
    expect(grid.style.paddingTop).toBe('0px');
    expect(grid.style.paddingBottom).toBe(`${26 * 188}px`);

    scrollTo(100 + 20 * 188);
    window.dispatchEvent(new Event('scroll'));
    nextFrame();
    // Rows 18 to 27: two above the screen, the six on it, two below.
    expect(screen.getAllByTestId('tile')[0]).toHaveTextContent(String(18 * 6));
    expect(screen.getAllByTestId('tile')).toHaveLength(10 * 6);
    expect(grid.style.paddingTop).toBe(`${18 * 188}px`);
    expect(grid.style.paddingBottom).toBe(`${6 * 188}px`);
  });
});
