/**
 * Clock times the phone shows the patient, on a phone whose clock is off. The screens count by
 * the server's clock (as the phone estimates it), but a time of day is read against the phone's
 * own clock, the one in its status bar: "measure again at 10:07" on a phone that reads 09:50 says
 * 17 minutes, where the countdown beside it says 7.
 */
import { render, screen } from '@testing-library/react';
import type { SessionEvent } from '@vigil/contracts';
import type { OutboxItem } from '@vigil/outbox';
import { clockTime } from '../shared/clock-time';
import { GateScreen } from './components/GateScreen';
import { MessagesCard } from './components/MessagesCard';
import { MIN, serverAt, setPhoneClock } from './test-support/phone-clock';

jest.mock('./outbox/patient-outbox', () =>
  jest
    .requireActual<typeof import('./test-support/fake-outbox')>('./test-support/fake-outbox')
    .patientOutboxModule(),
);

const iso = (ms: number) => new Date(ms).toISOString();
const SLOW = -10 * MIN;

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('the rest after a no-go, on a phone 10 min slow', () => {
  it("says when it ends by the phone's clock, as long from now as the countdown says", () => {
    setPhoneClock(SLOW);
    const gate = {
      status: 'no_go' as const,
      reasons: [{ code: 'bp_no_go', message: 'Blood pressure 172/96 is at or above 160/100.' }],
      hardStop: false,
      remeasureAfter: iso(serverAt(7)),
      clearanceRequired: true,
    };
    render(<GateScreen gate={gate} onRetake={jest.fn()} onCautionAccepted={jest.fn()} />);
    expect(screen.getByTestId('remeasure-countdown')).toHaveTextContent(
      `You can measure again at ${clockTime(serverAt(7) + SLOW)}, in 7:00.`,
    );
  });
});

describe('the messages with the care team, on a phone 10 min slow', () => {
  it("puts the patient's reply after the message it answers, each at the phone's time", () => {
    setPhoneClock(SLOW);
    // The care team wrote 2 minutes ago; the patient answered a minute later, offline: the reply
    // waits on the phone, dated by its clock (10 minutes behind).
    const fromTeam = {
      sessionId: 's1',
      seq: 5,
      type: 'message.sent',
      at: iso(serverAt(-2)),
      actorId: 'c1',
      data: { text: 'How are you feeling?', fromRole: 'clinician', fromName: 'Dr C' },
    } as unknown as SessionEvent;
    const reply: OutboxItem = {
      clientId: 'message-1',
      userId: 'patient-1',
      sessionId: 's1',
      kind: 'message',
      body: { text: 'A bit dizzy' },
      createdAt: iso(serverAt(-1) + SLOW),
      status: 'pending',
      attempts: 0,
    };
    render(<MessagesCard sessionId="s1" events={[fromTeam]} items={[reply]} />);
    const lines = screen.getAllByTestId('pt-message');
    expect(lines.map((l) => l.dataset.from)).toEqual(['team', 'me']);
    expect(lines[0]).toHaveTextContent(`Dr C · ${clockTime(serverAt(-2) + SLOW)}`);
    expect(lines[1]).toHaveTextContent(`You · ${clockTime(serverAt(-1) + SLOW)}`);
  });
});
