import { act, render, screen } from '@testing-library/react';
import { live } from '../../realtime/live-connection';
import { ConnectionLostBanner } from './ConnectionLostBanner';

const setStatus = (status: unknown) =>
  act(() => (live as unknown as { setStatus(s: unknown): void }).setStatus(status));

describe('ConnectionLostBanner', () => {
  it('says nothing while live and saving', () => {
    render(<ConnectionLostBanner />);
    setStatus({ state: 'live', since: Date.now() });
    expect(screen.queryByRole('alert')).toBeNull();
    // A server link down delays events; the header's indicator says so, not an alarm banner.
    setStatus({ state: 'live', since: Date.now(), degraded: true });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says no live data since when while the connection is down', () => {
    render(<ConnectionLostBanner />);
    setStatus({ state: 'reconnecting', since: new Date(2026, 11, 6, 6, 15).getTime() });
    expect(screen.getByRole('alert')).toHaveTextContent(/No live data since 06:15\./);
  });

  it('says the server cannot save since when, though the socket is up (v1.8)', () => {
    render(<ConnectionLostBanner />);
    setStatus({
      state: 'live',
      since: Date.now(),
      notSavingSince: new Date(2026, 11, 6, 6, 15).getTime(),
    });
    const banner = screen.getByRole('alert');
    expect(banner).toHaveAttribute('data-testid', 'not-saving');
    expect(banner).toHaveTextContent(/has not been able to save data since 06:15/);
    expect(banner).toHaveTextContent(/Use another way to reach patients with an urgent need/);
    setStatus({ state: 'live', since: Date.now() });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
