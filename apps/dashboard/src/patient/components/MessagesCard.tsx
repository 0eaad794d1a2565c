import { useId, useState } from 'react';
import type { SessionEvent } from '@vigil/contracts';
import type { OutboxItem } from '@vigil/outbox';
import { useOutboxSubmit } from '../hooks/useOutboxSubmit';
import { patientOutbox } from '../outbox/patient-outbox';
import { STATUS_TEXT } from '../patient-copy';
import { text } from '../form-values';
import { refusalInWords } from '../refusal-words';
import { clockTime } from '../../shared/clock-time';
import { phoneOffsetMs, phoneToServer, serverToPhone } from '../phone-clock';

interface Line {
  key: string;
  /** By the server's clock (epoch ms): a message's commit, or one of ours not echoed yet. */
  at: number;
  text: string;
  fromPatient: boolean;
  fromName?: string;
  item?: OutboxItem;
}

/**
 * The conversation with the care team: every `message.sent` of the session, plus this phone's
 * own messages that the server has not echoed back yet, each with where it is ("saved on this
 * phone" until the care team has it). Sending goes through the outbox, so it survives offline.
 */
export function MessagesCard(props: {
  sessionId: string;
  events: readonly SessionEvent[];
  items: readonly OutboxItem[];
}) {
  const { sessionId, events, items } = props;
  const id = useId();
  const [draft, setDraft] = useState('');

  const offset = phoneOffsetMs();
  const sent = events.filter((e) => e.type === 'message.sent');
  const seqs = new Set(sent.map((e) => e.seq));
  const lines: Line[] = [
    ...sent.map((e) => ({
      key: `e${e.seq}`,
      at: Date.parse(e.at),
      text: text(e.data.text) ?? '',
      fromPatient: e.data.fromRole === 'patient',
      fromName: text(e.data.fromName),
      item: items.find((i) => i.kind === 'message' && i.seq === e.seq),
    })),
    ...items
      .filter((i) => i.kind === 'message' && i.sessionId === sessionId)
      .filter((i) => i.seq === undefined || !seqs.has(i.seq))
      .map((i) => ({
        key: i.clientId,
        // Dated by the phone's clock: on the server's, a reply written offline on a phone 10 min
        // slow sorted above the message it answered.
        at: phoneToServer(Date.parse(i.createdAt), offset),
        text: text(i.body.text) ?? '',
        fromPatient: true,
        item: i,
      })),
  ].sort((a, b) => a.at - b.at);

  const send = useOutboxSubmit(
    async () => {
      const value = draft.trim();
      if (!value) return;
      await patientOutbox.enqueue({ sessionId, kind: 'message', body: { text: value } });
      setDraft('');
    },
    (reason) => `Could not save the message on this phone (${reason}).`,
  );

  return (
    <section className="pt-card" aria-labelledby="msg-title">
      <h2 id="msg-title" className="pt-h3">
        Messages with your care team
      </h2>
      {lines.length === 0 ? (
        <p className="pt-muted">No messages yet.</p>
      ) : (
        <ul className="pt-messages" aria-live="polite">
          {lines.map((line) => (
            <li
              key={line.key}
              data-testid="pt-message"
              data-from={line.fromPatient ? 'me' : 'team'}
            >
              <span className="pt-muted">
                <strong>{line.fromPatient ? 'You' : (line.fromName ?? 'Care team')}</strong> ·{' '}
                {clockTime(serverToPhone(line.at, offset))}
              </span>
              <p>{line.text}</p>
              {line.item && line.fromPatient && (
                <span
                  className={`pt-status pt-status-${line.item.status}`}
                  data-testid="pt-message-status"
                >
                  {STATUS_TEXT[line.item.status]}
                  {line.item.status === 'rejected' && `: ${refusalInWords(line.item.lastError)}`}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <form className="pt-stack" onSubmit={send.onSubmit}>
        <div className="pt-field">
          <label htmlFor={id}>Write a message</label>
          <textarea
            id={id}
            rows={4}
            maxLength={2000}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
        {send.saveError && <p className="pt-notice pt-notice-danger">{send.saveError}</p>}
        <button
          type="submit"
          className="pt-button pt-button-primary"
          disabled={send.saving || draft.trim() === ''}
        >
          Send
        </button>
      </form>
    </section>
  );
}
