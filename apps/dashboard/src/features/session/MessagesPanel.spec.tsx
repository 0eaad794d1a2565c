import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { eventLog } from '../../read-model/testing';
import { MessagesPanel } from './MessagesPanel';

describe('MessagesPanel', () => {
  it('shows the conversation, patient vs care team, and sends a message to the patient', async () => {
    const fetchMock = jest.fn((_url: string, _init?: RequestInit) =>
      Promise.resolve({
        ok: true,
        status: 201,
        text: () => Promise.resolve(JSON.stringify({ seq: 5, duplicate: false })),
      }),
    );
    globalThis.fetch = fetchMock as unknown as typeof fetch;
    const model = eventLog()
      .add('message.sent', 1_000, { text: 'I feel dizzy', fromRole: 'patient', fromName: 'Pat' })
      .add('message.sent', 2_000, { text: 'Lie down', fromRole: 'clinician', fromName: 'Dr Lee' })
      .model();
    render(<MessagesPanel sessionId="s1" messages={model.messages} />);
    const lines = screen.getAllByTestId('message');
    expect(lines.map((l) => l.dataset.from)).toEqual(['patient', 'team']);
    expect(lines[0]).toHaveTextContent('I feel dizzy');
    expect(lines[1]).toHaveTextContent('Care team · Dr Lee');

    await userEvent.type(screen.getByLabelText('Message to the patient'), 'On my way');
    await userEvent.click(screen.getByRole('button', { name: 'Send message' }));
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/sessions/s1/messages');
    const body = JSON.parse(init?.body as string) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['clientId', 'text']);
    expect(body.text).toBe('On my way');
    expect(typeof body.clientId).toBe('string');
    await waitFor(() => expect(screen.getByLabelText('Message to the patient')).toHaveValue(''));
  });

  it('offers no reply box to a reader who may not send', () => {
    render(<MessagesPanel sessionId="s1" messages={[]} canSend={false} />);
    expect(screen.getByText('No messages yet.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send message' })).toBeNull();
  });
});
