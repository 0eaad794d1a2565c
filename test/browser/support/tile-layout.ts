import type { Page } from 'playwright-core';

/**
 * What is cut or squashed on the board's tiles, described for a test failure: a value cell, the
 * row of cells, the state, the top alert's message or the check-in, device or informational line
 * that is wider or taller than its box (scrollWidth/scrollHeight past clientWidth/clientHeight),
 * an inline value or word that runs past the box holding it, or a line pushed below the tile's
 * fixed height. Cut by design and not checked: a long name, the alert's status ("unacknowledged
 * · +2 more", basis 0) and the overrides (their full text in the tooltip).
 */
export function clippedTileParts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const PARTS = [
      '.vitals',
      '.vital',
      '.vital-value',
      '.vital-age',
      '.news2',
      '.tile-state',
      '.tile-alert-msg',
      '.tile-info',
      '.checkin',
      '.tile-foot',
      '.device',
    ].join(', ');
    const out: string[] = [];
    for (const tile of document.querySelectorAll<HTMLElement>('[data-testid="tile"]')) {
      const name = tile.querySelector('.tile-name')?.textContent ?? '?';
      const say = (el: Element, what: string) =>
        out.push(`${name}: .${el.className.split(' ').join('.')} "${el.textContent}" ${what}`);
      for (const el of tile.querySelectorAll<HTMLElement>(PARTS)) {
        if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
          say(el, `is ${el.scrollWidth} px wide in ${el.clientWidth}`);
        if (el.clientHeight > 0 && el.scrollHeight > el.clientHeight + 1)
          say(el, `is ${el.scrollHeight} px tall in ${el.clientHeight}`);
        const box = el.parentElement?.closest('.vital, p, .tile-head');
        if (!box) continue;
        const r = el.getBoundingClientRect();
        const b = box.getBoundingClientRect();
        if (r.left < b.left - 1 || r.right > b.right + 1 || r.bottom > b.bottom + 1)
          say(el, `runs out of its ${box.className.split(' ')[0]}`);
      }
      const edge =
        tile.getBoundingClientRect().bottom - parseFloat(getComputedStyle(tile).paddingBottom);
      // The lines are the children of the tile's body (SessionTile's relayout boundary).
      for (const row of (tile.querySelector('.tile-body') ?? tile).children)
        if (row.getBoundingClientRect().bottom > edge + 1)
          say(
            row,
            `ends ${Math.round(row.getBoundingClientRect().bottom - edge)} px below the tile's content box`,
          );
    }
    return out;
  });
}
