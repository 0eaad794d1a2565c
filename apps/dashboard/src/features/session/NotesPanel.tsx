import type { NoteRecord } from '../../read-model/session-model';
import { FeedPanel } from './FeedPanel';
import { clockTime } from '../../shared/clock-time';

/** The session's clinical notes (`note.added`), newest first, and a form to add one if allowed. */
export function NotesPanel({
  sessionId,
  notes,
  canAdd = true,
}: {
  sessionId: string;
  notes: readonly NoteRecord[];
  /** False where the notes are only read (the supervisor's replay of a past session). */
  canAdd?: boolean;
}) {
  const rows = [...notes].reverse();
  return (
    <FeedPanel
      name="notes"
      title="Notes"
      count={notes.length}
      empty="No notes yet."
      compose={
        canAdd
          ? {
              path: `/api/sessions/${sessionId}/notes`,
              label: 'New note',
              submitLabel: 'Add note',
              maxLength: 4000,
            }
          : undefined
      }
    >
      {rows.map((n) => (
        <li key={n.seq} data-testid="note">
          <time dateTime={n.at} className="muted">
            {clockTime(n.at)}
          </time>
          <p>{n.text}</p>
        </li>
      ))}
    </FeedPanel>
  );
}
