import type { NoteRecord } from '../../read-model/session-model';
import { ComposeForm } from './ComposeForm';

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The session's clinical notes (`note.added`), newest first, and a form to add one. */
export function NotesPanel({
  sessionId,
  notes,
}: {
  sessionId: string;
  notes: readonly NoteRecord[];
}) {
  const rows = [...notes].reverse();
  return (
    <section className="panel" aria-labelledby="notes-title" data-testid="notes-panel">
      <h2 id="notes-title">
        Notes <span className="muted">({notes.length})</span>
      </h2>
      {rows.length === 0 ? (
        <p className="muted">No notes yet.</p>
      ) : (
        <ul className="feed">
          {rows.map((n) => (
            <li key={n.seq} data-testid="note">
              <time dateTime={n.at} className="muted">
                {time(n.at)}
              </time>
              <p>{n.text}</p>
            </li>
          ))}
        </ul>
      )}
      <ComposeForm
        path={`/api/sessions/${sessionId}/notes`}
        label="New note"
        submitLabel="Add note"
        maxLength={4000}
      />
    </section>
  );
}
