import type { MessageRecord } from '../../read-model/session-model';
import { FeedPanel } from './FeedPanel';
import { clockTime } from '../../shared/clock-time';

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
    <FeedPanel
      name="messages"
      title="Messages"
      count={messages.length}
      empty="No messages yet."
      live
      compose={
        canSend
          ? {
              path: `/api/sessions/${sessionId}/messages`,
              label: 'Message to the patient',
              submitLabel: 'Send message',
              maxLength: 2000,
            }
          : undefined
      }
    >
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
              {m.fromName ? ` · ${m.fromName}` : ''} ·{' '}
              <time dateTime={m.at}>{clockTime(m.at)}</time>
            </span>
            <p>{m.text}</p>
          </li>
        );
      })}
    </FeedPanel>
  );
}
