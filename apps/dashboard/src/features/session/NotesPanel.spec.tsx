import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { eventLog, T0 } from '../../read-model/testing';
import { NotesPanel } from './NotesPanel';

function mockFetch(...answers: { status: number; body: unknown }[]) {
  const fetchMock = jest.fn((_url: string, _init?: RequestInit) => {
    const next = answers.shift() ?? { status: 201, body: { seq: 1, duplicate: false } };
    // jsdom has no Response: just what shared/api.ts reads.
    return Promise.resolve({
      ok: next.status < 400,
      status: next.status,
      headers: new Headers(),
      text: () => Promise.resolve(JSON.stringify(next.body)),
    });
  });
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  return fetchMock;
}

describe('NotesPanel', () => {
  it('lists the note.added events of the session, newest first', () => {
    const model = eventLog()
      .add('note.added', 60_000, { text: 'Patient calm, eyes closed' })
      .add('note.added', 120_000, { text: 'Asked for water' })
      .model();
    render(<NotesPanel sessionId="s1" notes={model.notes} />);
    const notes = screen.getAllByTestId('note');
    expect(notes).toHaveLength(2);
    expect(notes[0]).toHaveTextContent('Asked for water');
    expect(notes[1]).toHaveTextContent('Patient calm, eyes closed');
    expect(notes[0].querySelector('time')).toHaveAttribute(
      'datetime',
      new Date(T0 + 120_000).toISOString(),
    );
  });

  it('posts the typed note with a clientId, disabling the button while sending', async () => {
    const fetchMock = mockFetch({ status: 201, body: { seq: 9, duplicate: false } });
    render(<NotesPanel sessionId="s1" notes={[]} />);
    expect(screen.getByText('No notes yet.')).toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Add note' });
    expect(button).toBeDisabled();
    await userEvent.type(screen.getByLabelText('New note'), 'BP settling');
    await userEvent.click(button);

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/sessions/s1/notes');
    expect(init?.method).toBe('POST');
    const body = JSON.parse(init?.body as string) as { clientId: string; text: string };
    expect(body.text).toBe('BP settling');
    expect(body.clientId).toEqual(expect.any(String));
    await waitFor(() => expect(screen.getByLabelText('New note')).toHaveValue(''));
  });

  it('shows the API message when the note is refused, and keeps the text', async () => {
    mockFetch({ status: 403, body: { message: 'you are not assigned to this session' } });
    render(<NotesPanel sessionId="s1" notes={[]} />);
    await userEvent.type(screen.getByLabelText('New note'), 'Hello');
    await userEvent.click(screen.getByRole('button', { name: 'Add note' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'you are not assigned to this session',
    );
    expect(screen.getByLabelText('New note')).toHaveValue('Hello');
  });
});
