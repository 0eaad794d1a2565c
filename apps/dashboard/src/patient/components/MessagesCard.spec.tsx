import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { SessionEvent } from '@vigil/contracts';
import { useOutbox } from '../hooks/useOutbox';
import { patientOutbox } from '../outbox/patient-outbox';
import { fakeOf } from '../test-support/fake-outbox';
import { MessagesCard } from './MessagesCard';

jest.mock('../outbox/patient-outbox', () =>
  jest
    .requireActual<typeof import('../test-support/fake-outbox')>('../test-support/fake-outbox')
    .patientOutboxModule(),
);
const fake = fakeOf(patientOutbox);

const event = (seq: number, data: Record<string, unknown>): SessionEvent =>
  ({
    sessionId: 's1',
    seq,
    type: 'message.sent',
    at: new Date(Date.parse('2026-11-26T10:00:00Z') + seq * 60_000).toISOString(),
    actorId: null,
    data,
  }) as SessionEvent;

function Harness({ events }: { events: SessionEvent[] }) {
  const items = useOutbox();
  return <MessagesCard sessionId="s1" events={events} items={items} />;
}

describe('MessagesCard', () => {
  beforeEach(async () => {
    fake.rows.clear();
    fake.answers.length = 0;
    fake.sent.length = 0;
    patientOutbox.close();
    await patientOutbox.open('patient-1');
  });

  it('shows the care team’s messages', () => {
    render(
      <Harness
        events={[
          event(1, { text: 'How are you feeling?', fromRole: 'clinician', fromName: 'Dr Lee' }),
        ]}
      />,
    );
    const line = screen.getByTestId('pt-message');
    expect(line).toHaveAttribute('data-from', 'team');
    expect(line).toHaveTextContent('Dr Lee');
    expect(line).toHaveTextContent('How are you feeling?');
  });

  it('sends through the outbox: saved on this phone first, then received', async () => {
    const { rerender } = render(<Harness events={[]} />);
    await userEvent.type(screen.getByLabelText('Write a message'), 'A bit sick');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));

    expect(patientOutbox.getItems().map((i) => [i.kind, i.sessionId, i.body])).toEqual([
      ['message', 's1', { text: 'A bit sick' }],
    ]);
    expect(screen.getByLabelText('Write a message')).toHaveValue('');
    expect(screen.getByTestId('pt-message')).toHaveTextContent('A bit sick');
    expect(screen.getByTestId('pt-message-status')).toHaveTextContent(
      'Saved on this phone, not sent yet',
    );

    fake.answers.push({ kind: 'delivered', seq: 3, duplicate: false });
    await act(() => patientOutbox.flush());
    expect(screen.getByTestId('pt-message-status')).toHaveTextContent('Received by your care team');

    // The server's echo replaces the local copy: still one line, not two.
    rerender(<Harness events={[event(3, { text: 'A bit sick', fromRole: 'patient' })]} />);
    expect(screen.getAllByTestId('pt-message')).toHaveLength(1);
    expect(screen.getByTestId('pt-message-status')).toHaveTextContent('Received by your care team');
  });
});
