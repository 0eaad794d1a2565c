import { useEffect, useState } from 'react';
import type { SessionEvent, SessionState } from '@vigil/contracts';
import { useDuePrompt } from '../hooks/useDuePrompt';
import { useNow } from '../../shared/useNow';
import type { OutboxItem } from '@vigil/outbox';
import { phoneOffsetMs, serverToPhone } from '../phone-clock';
import { refusalInWords } from '../refusal-words';
import { bpChecks, lastCheckInAt, nextCheckInDue, scheduleFor } from '../schedule';
import { BpForm } from './BpForm';
import { CheckInForm } from './CheckInForm';
import { EmergencyAdvice } from './EmergencyAdvice';
import { MessagesCard } from './MessagesCard';
import { OutboxList } from './OutboxList';
import { SessionClock } from './SessionClock';
import { clockTime } from '../../shared/clock-time';

interface MonitoringScreenProps {
  sessionId: string;
  state: SessionState;
  dosedAt: string;
  route: string;
  doseSaved: boolean;
  events: readonly SessionEvent[];
  items: readonly OutboxItem[];
}

/** From the dose to sign-off: the clock, the next check-in, BP when due, and what was sent. */
export function MonitoringScreen(props: MonitoringScreenProps) {
  const { sessionId, events, items } = props;
  const [view, setView] = useState<'home' | 'checkin' | 'bp'>('home');
  const [notice, setNotice] = useState<{ clientId: string; emergency: boolean } | null>(null);
  const now = useNow(1000);
  useEffect(() => {
    // The thank-you fades; the emergency advice stays until the next check-in replaces it.
    if (!notice || notice.emergency) return;
    const timer = setTimeout(() => setNotice(null), 15_000);
    return () => clearTimeout(timer);
  }, [notice]);
  const schedule = scheduleFor(props.route);
  const dosedAt = Date.parse(props.dosedAt);
  const offset = phoneOffsetMs();
  // Due times are the server's; a time of day is shown as the phone's clock reads it.
  const shown = (at: number) => clockTime(serverToPhone(at, offset));
  const nextDue = nextCheckInDue(dosedAt, lastCheckInAt(events, items, offset), schedule);
  const due = now >= nextDue;
  useDuePrompt(nextDue, now);
  const checks = bpChecks(dosedAt, schedule, events, items, offset);
  const bpDue = checks.find((c) => !c.done && now >= c.at);
  const bpNext = checks.find((c) => !c.done && now < c.at);

  if (view === 'checkin') {
    return (
      <CheckInForm
        sessionId={sessionId}
        onSaved={(clientId, emergency) => {
          setNotice({ clientId, emergency });
          setView('home');
          window.scrollTo?.(0, 0);
        }}
        onCancel={() => setView('home')}
      />
    );
  }
  if (view === 'bp') {
    return (
      <BpForm
        sessionId={sessionId}
        onSaved={(clientId) => {
          setNotice({ clientId, emergency: false });
          setView('home');
        }}
        onCancel={() => setView('home')}
      />
    );
  }

  const saved = notice ? items.find((i) => i.clientId === notice.clientId) : undefined;
  const minutes = Math.max(1, Math.floor((nextDue - now) / 60_000));
  return (
    <div className="pt-stack">
      {notice?.emergency && <EmergencyAdvice />}
      {saved && (
        <p
          className={`pt-notice ${saved.status === 'delivered' ? 'pt-notice-ok' : 'pt-notice-warn'}`}
          role="status"
        >
          {saved.status === 'delivered'
            ? 'Thank you. Your care team has received it.'
            : saved.status === 'pending'
              ? 'Thank you. It is saved on this phone, not sent yet: it will be sent by itself.'
              : `Not accepted: ${refusalInWords(saved.lastError)}`}
        </p>
      )}
      {props.doseSaved && (
        <p className="pt-notice pt-notice-warn" role="status">
          Your dose is saved on this phone, not sent yet. It will be sent by itself.
        </p>
      )}
      {props.state === 'recovery' && (
        <p className="pt-notice pt-notice-ok">
          Recovering. Your clinician will check that you are ready to finish.
        </p>
      )}
      <SessionClock dosedAt={dosedAt} now={now} minMonitoringMs={schedule.minMonitoringMs} />

      <section className={`pt-card pt-next${due ? ' pt-next-due' : ''}`} aria-live="polite">
        {due ? (
          <h2>Time for your check-in</h2>
        ) : (
          <p className="pt-next-text">
            Next check-in in <strong>{minutes} min</strong> ({shown(nextDue)})
          </p>
        )}
        <button
          type="button"
          className={`pt-button ${due ? 'pt-button-primary' : 'pt-button-secondary'}`}
          onClick={() => setView('checkin')}
        >
          {due ? 'Start check-in' : 'Check in now'}
        </button>
      </section>

      <section className={`pt-card${bpDue ? ' pt-next-due' : ''}`}>
        {bpDue ? (
          <h2>Blood pressure check due</h2>
        ) : (
          <p className="pt-next-text">
            {bpNext
              ? `Next blood pressure check at ${shown(bpNext.at)}`
              : 'Take your blood pressure if your clinician asks.'}
          </p>
        )}
        <button
          type="button"
          className={`pt-button ${bpDue ? 'pt-button-primary' : 'pt-button-secondary'}`}
          onClick={() => setView('bp')}
        >
          Enter blood pressure
        </button>
      </section>

      <MessagesCard sessionId={sessionId} events={events} items={items} />
      <OutboxList items={items} />
    </div>
  );
}
