import type { MessageRecord } from '../../read-model/session-model';
import { ComposeForm } from './ComposeForm';

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The conversation with the patient's phone (`message.sent`), oldest first, and a reply box. */
export function MessagesPanel({
  sessionId,
  messages,
  canSend = true,
}: {
  sessionId: string;
  messages: readonly MessageRecord[];
  /** Only the patient and the assigned clinicians may write (a supervisor reads). */
  canSend?: boolean;
}) {
  return (
    <section className="panel" aria-labelledby="messages-title" data-testid="messages-panel">
      <h2 id="messages-title">
        Messages <span className="muted">({messages.length})</span>
      </h2>
      {messages.length === 0 ? (
        <p className="muted">No messages yet.</p>
      ) : (
        <ul className="feed" aria-live="polite">
          {messages.map((m) => {
            const fromPatient = m.fromRole === 'patient';
            return (
              <li
                key={m.seq}
                data-testid="message"
                data-from={fromPatient ? 'patient' : 'team'}
                className={fromPatient ? 'msg-patient' : 'msg-team'}
              >
                <span className="muted">
                  <strong>{fromPatient ? 'Patient' : 'Care team'}</strong>
                  {m.fromName ? ` · ${m.fromName}` : ''} · <time dateTime={m.at}>{time(m.at)}</time>
                </span>
                <p>{m.text}</p>
              </li>
            );
          })}
        </ul>
      )}
      {canSend && (
        <ComposeForm
          path={`/api/sessions/${sessionId}/messages`}
          label="Message to the patient"
          submitLabel="Send message"
          maxLength={2000}
        />
      )}
    </section>
  );
}
