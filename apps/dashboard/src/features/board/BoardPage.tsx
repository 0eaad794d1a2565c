import { useQuery } from '@tanstack/react-query';
import type { SessionSummary } from '@vigil/contracts';
import { api } from '../../shared/api';

/** Live sessions this user supervises. */
export function BoardPage() {
  const sessions = useQuery({
    queryKey: ['sessions', 'live'],
    queryFn: () => api<SessionSummary[]>('GET', '/api/sessions?state=live'),
    refetchInterval: 15_000,
  });
  if (sessions.isPending) return <p>Loading sessions…</p>;
  if (sessions.isError)
    return <p role="alert">Could not load sessions: {sessions.error.message}</p>;
  return (
    <section aria-labelledby="board-title">
      <h1 id="board-title">Live sessions</h1>
      <ul className="board">
        {sessions.data.map((s) => (
          <li key={s.id} className="tile" data-testid="tile">
            <strong>{s.patient.name}</strong> <span className="muted">{s.state}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
