import { useMemo, useRef } from 'react';
import type { SessionSummary } from '@vigil/contracts';
import type { SessionModel } from '../../read-model/session-model';
import { tileView, type TileView } from './tile-view';

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
 * its render (SessionTile is memoised).
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
      const view =
        hit && hit.summary === summary && hit.model === model && hit.now === now
          ? hit.view
          : tileView(summary, model, now);
      next.set(summary.id, { summary, model, now, view });
      return view;
    });
    cache.current = next;
    return views;
  }, [sessions, models, now]);
}
