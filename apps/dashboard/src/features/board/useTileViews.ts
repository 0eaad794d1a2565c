import { useMemo, useRef } from 'react';
import type { SessionSummary } from '@vigil/contracts';
import type { SessionModel } from '../../read-model/session-model';
import { sameTileView, tileView, type TileView } from './tile-view';

interface Cached {
  summary: SessionSummary;
  model: SessionModel | undefined;
  /** When the view was worked out, and when it could next read differently (view.changesAt). */
  at: number;
  until: number;
  view: TileView;
}

/**
 * Every session's tile view, worked out again only for a session whose summary or model changed,
 * or whose view reached its next change point (view.changesAt: the next minute since the dose, a
 * value turning stale, the check-in falling due). With 200 sessions a frame's live events change
 * a few models, and a tick of the clock passes a few change points, not 200: the other views are
 * kept as they were, with no work. The same view object lets an unchanged tile skip its render
 * (SessionTile is memoised), and the same array lets the board skip its sort.
 */
export function useTileViews(
  sessions: readonly SessionSummary[],
  models: ReadonlyMap<string, SessionModel>,
  now: number,
): TileView[] {
  const cache = useRef(new Map<string, Cached>());
  const last = useRef<TileView[]>([]);
  return useMemo(() => {
    const next = new Map<string, Cached>();
    let changed = sessions.length !== last.current.length;
    const views = sessions.map((summary, i) => {
      const model = models.get(summary.id);
      const hit = cache.current.get(summary.id);
      let entry: Cached;
      // A clock set back (now < at) could undo a change point: work it out again.
      if (hit && hit.summary === summary && hit.model === model && now >= hit.at && now < hit.until)
        entry = hit;
      else {
        const fresh = tileView(summary, model, now);
        const keep = hit !== undefined && sameTileView(hit.view, fresh);
        entry = { summary, model, at: now, until: fresh.changesAt, view: keep ? hit.view : fresh };
      }
      next.set(summary.id, entry);
      if (entry.view !== last.current[i]) changed = true;
      return entry.view;
    });
    cache.current = next;
    if (changed) last.current = views;
    return last.current;
  }, [sessions, models, now]);
}
