import type { SessionEvent } from '@vigil/contracts';
import { text } from '../form-values';

/**
 * Messages from the care team, read from the session's event log. Replying from the phone is
 * not possible yet: the API has no endpoint that sends a message.
 */
export function MessagesPanel({ events }: { events: readonly SessionEvent[] }) {
  const messages = events.filter((e) => e.type === 'message.sent');
  if (messages.length === 0) return null;
  return (
    <section className="pt-card" aria-labelledby="msg-title">
      <h3 id="msg-title">Messages from your care team</h3>
      <ul className="pt-messages">
        {messages
          .slice()
          .reverse()
          .map((m) => (
            <li key={m.seq}>
              <p>{text(m.data.text) ?? text(m.data.message) ?? text(m.data.body) ?? ''}</p>
              <span className="pt-muted">
                {new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
              </span>
            </li>
          ))}
      </ul>
    </section>
  );
}
