import { useMemo } from 'react';
import { useNow } from '../../shared/useNow';
import { useSessionModels, useWorkspace } from '../workspace/useWorkspace';
import { sortByRisk } from './risk-sort';
import { SessionTile } from './SessionTile';
import { tileView } from './tile-view';

/** Live sessions this user supervises, most at risk first. */
export function BoardPage() {
  const { sessions, listError, listLoading } = useWorkspace();
  const models = useSessionModels();
  const now = useNow();
  const tiles = useMemo(
    () => sortByRisk(sessions.map((s) => tileView(s, models.get(s.id), now))),
    [sessions, models, now],
  );
  return (
    <section aria-labelledby="board-title" className="board-page">
      <h1 id="board-title">
        Live sessions <span className="muted">({tiles.length})</span>
      </h1>
      {listError && (
        <p role="alert" className="banner banner-error">
          <span aria-hidden="true">⚠ </span>Could not refresh the session list: {listError}. Showing
          the last known list.
        </p>
      )}
      {listLoading && tiles.length === 0 && <p>Loading sessions…</p>}
      {!listLoading && tiles.length === 0 && !listError && (
        <p className="muted">No live sessions assigned to you.</p>
      )}
      <ul className="board" aria-label="Sessions, most at risk first">
        {tiles.map((t) => (
          <SessionTile key={t.sessionId} view={t} now={now} />
        ))}
      </ul>
    </section>
  );
}
