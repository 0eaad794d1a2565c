import type { OutboxItem } from '@vigil/outbox';
import { KIND_LABELS, STATUS_TEXT } from '../patient-copy';
import { refusalInWords } from '../refusal-words';
import { clockTime } from '../../shared/clock-time';

/**
 * Everything this phone has sent today, newest first, each with the one thing the patient
 * needs to know: is it only on the phone, or has the care team got it.
 */
export function OutboxList({ items }: { items: readonly OutboxItem[] }) {
  const shown = items
    .filter((i) => i.kind !== 'transition')
    .slice()
    .reverse();
  if (shown.length === 0) return null;
  return (
    <section className="pt-card" aria-labelledby="outbox-title">
      <h3 id="outbox-title">Sent from this phone</h3>
      <ul className="pt-outbox">
        {shown.map((item) => (
          <li
            key={item.clientId}
            data-testid="outbox-item"
            data-status={item.status}
            data-kind={item.kind}
          >
            <span className="pt-outbox-what">
              {KIND_LABELS[item.kind]} <span className="pt-muted">{clockTime(item.createdAt)}</span>
            </span>
            <span className={`pt-status pt-status-${item.status}`}>
              {STATUS_TEXT[item.status]}
              {item.status === 'rejected' && `: ${refusalInWords(item.lastError)}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
