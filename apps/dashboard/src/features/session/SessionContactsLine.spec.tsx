import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { SessionContactsLine } from './SessionContactsLine';

describe('SessionContactsLine', () => {
  it("shows the patient's and the support person's numbers as tel: links", async () => {
    // jsdom has no fetch or Response: answer as the server would.
    const body = {
      patient: { name: 'Pat One', phone: '+44 7700 900001' },
      supportPerson: { name: 'Alex One', phone: '+44 7700 900123', from: 'screening' },
    };
    const fetchMock = jest.fn((_url: string, _init?: RequestInit) =>
      Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(JSON.stringify(body)) }),
    );
    globalThis.fetch = fetchMock as unknown as typeof fetch;
    render(
      <QueryClientProvider client={new QueryClient()}>
        <SessionContactsLine sessionId="s1" />
      </QueryClientProvider>,
    );
    expect(
      await screen.findByRole('link', { name: 'Call patient on +44 7700 900001' }),
    ).toHaveAttribute('href', 'tel:+447700900001');
    expect(
      screen.getByRole('link', { name: 'Call support person Alex One on +44 7700 900123' }),
    ).toHaveAttribute('href', 'tel:+447700900123');
    expect(screen.getByTestId('contacts')).toHaveTextContent('(as given at screening)');
    expect(fetchMock).toHaveBeenCalledWith('/api/sessions/s1/contacts', expect.anything());
  });
});
