import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useSearchParams } from 'react-router';
import { useWorkspace } from '../workspace/useWorkspace';
import { BoardModels } from './board-models';
import { BoardGrid } from './BoardGrid';
import { BoardList } from './BoardList';
import { resortByRisk } from './risk-sort';
import { TickingClock, TileClock } from './tile-clock';
import { needsAttention, type TileView } from './tile-view';
import { useTileViews } from './useTileViews';

/** Live sessions this user supervises, most at risk first, as tiles or a list. */
export function BoardPage() {
  const { sessions, listError, listLoading, store } = useWorkspace();
  // One clock for the views' change points and for the ages on screen (each tile or row takes
  // its ticks only while on screen), and for the readings, shown on its ticks (BoardModels).
  const [clock] = useState(() => new TickingClock());
  const [boardModels] = useState(() => new BoardModels(store, undefined, undefined, clock));
  const models = useSyncExternalStore(boardModels.subscribe, boardModels.getSnapshot);
  const now = useSyncExternalStore(clock.subscribe, clock.now);
  // In the URL, so a station's choice survives a reload and can be bookmarked.
  // The URL update is a transition; local state answers the click at once.
  const [params, setParams] = useSearchParams();
  const [view, setView] = useState(params.get('view') === 'list' ? 'list' : 'tiles');
  const [attentionOnly, setAttentionOnly] = useState(params.get('filter') === 'attention');
  const views = useTileViews(sessions, models, now);
  const sorted = useRef<TileView[]>([]);
  // Sorted again only when a session's sort facts changed, not on each frame's new values.
  const all = useMemo(() => (sorted.current = resortByRisk(views, sorted.current)), [views]);
  const attention = useMemo(() => all.filter(needsAttention), [all]);
  // The sessions watched in the board's order, so the first sessions.watch batch brings the
  // histories of the tiles on screen (before any history, by name) instead of the list's first
  // 50: the board fills when its visible tiles have loaded, not all 200. This effect runs before
  // the workspace's own track of the same sessions (a child's effects run first), which then
  // finds them watched; later calls change nothing while the list is the same.
  useEffect(() => store.track(sorted.current.map((v) => v.sessionId)), [store, sessions]);
  const tiles = attentionOnly ? attention : all;
  const set = (key: string, value: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value === null) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );

  return (
    <section aria-labelledby="board-title" className="board-page">
      <div className="board-toolbar">
        <h1 id="board-title">
          Live sessions <span className="muted">({all.length})</span>
        </h1>
        <div className="view-switch" role="group" aria-label="Show the board as">
          <button
            type="button"
            aria-pressed={view === 'tiles'}
            onClick={() => {
              setView('tiles');
              set('view', null);
            }}
          >
            Tiles
          </button>
          <button
            type="button"
            aria-pressed={view === 'list'}
            onClick={() => {
              setView('list');
              set('view', 'list');
            }}
          >
            List
          </button>
        </div>
        <label className="board-filter">
          <input
            type="checkbox"
            checked={attentionOnly}
            onChange={(e) => {
              setAttentionOnly(e.target.checked);
              set('filter', e.target.checked ? 'attention' : null);
            }}
          />
          Needs attention only ({attention.length})
        </label>
      </div>
      {listError && (
        <p role="alert" className="banner banner-error">
          <span aria-hidden="true">⚠ </span>Could not refresh the session list: {listError}. Showing
          the last known list.
        </p>
      )}
      {listLoading && all.length === 0 && <p>Loading sessions…</p>}
      {!listLoading && all.length === 0 && !listError && (
        <p className="muted">No live sessions assigned to you.</p>
      )}
      {attentionOnly && all.length > 0 && tiles.length === 0 && (
        <p className="muted">
          Nothing needs attention: no open alert, overdue check-in, stale value or silent phone.
        </p>
      )}
      {view === 'list' ? (
        <TileClock value={clock}>
          <BoardList tiles={tiles} />
        </TileClock>
      ) : (
        <TileClock value={clock}>
          <BoardGrid tiles={tiles} />
        </TileClock>
      )}
    </section>
  );
}
