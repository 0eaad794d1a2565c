import { useMemo, useRef } from 'react';
import type { SessionSummary } from '@vigil/contracts';
import type { SessionModel } from '../../read-model/session-model';
import { sameTileView, tileView, type TileView } from './tile-view';

interface Cached {
  summary: SessionSummary;
  model: SessionModel | undefined;
  now: number;
  view: TileView;
}

/**
 * Every session's tile view, worked out again only for a session whose summary or model changed
 * since the last render, or when the clock ticks. With 200 sessions a live event changes one model
 * per session in a frame, not the other 199; the same view object also lets an unchanged tile skip
 * its render (SessionTile is memoised). A tick that changes none of a session's facts (the ages
 * are counted on screen, not in the view) keeps its view: at 200 sessions, re-rendering every
 * tile on screen once a second made the board's longest main-thread tasks.
 */
export function useTileViews(
  sessions: readonly SessionSummary[],
  models: ReadonlyMap<string, SessionModel>,
  now: number,
): TileView[] {
  const cache = useRef(new Map<string, Cached>());
  return useMemo(() => {
    const next = new Map<string, Cached>();
    const views = sessions.map((summary) => {
      const model = models.get(summary.id);
      const hit = cache.current.get(summary.id);
      let view: TileView;
      if (hit && hit.summary === summary && hit.model === model) {
        view = hit.now === now ? hit.view : tileView(summary, model, now);
        if (view !== hit.view && sameTileView(hit.view, view)) view = hit.view;
      } else view = tileView(summary, model, now);
      next.set(summary.id, { summary, model, now, view });
      return view;
    });
    cache.current = next;
    return views;
  }, [sessions, models, now]);
}
