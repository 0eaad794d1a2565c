import { act, render, screen } from '@testing-library/react';
import { live } from '../../realtime/live-connection';
import { ConnectionIndicator } from './ConnectionIndicator';

describe('ConnectionIndicator', () => {
  it('shows reconnecting with the time it started, not a live state', () => {
    render(<ConnectionIndicator />);
    const since = new Date('2026-11-26T10:15:30Z').getTime();
    act(() => {
      (live as unknown as { setStatus(s: unknown): void }).setStatus({
        state: 'reconnecting',
        since,
      });
    });
    const badge = screen.getByTestId('connection');
    expect(badge).toHaveTextContent(/^Reconnecting since/);
    expect(badge).toHaveClass('connection-reconnecting');
    act(() => {
      (live as unknown as { setStatus(s: unknown): void }).setStatus({
        state: 'live',
        since: Date.now(),
      });
    });
    expect(screen.getByTestId('connection')).toHaveTextContent('Live');
  });

  it('says live but delayed while the server cannot reach the other instances', () => {
    render(<ConnectionIndicator />);
    act(() => {
      (live as unknown as { setStatus(s: unknown): void }).setStatus({
        state: 'live',
        since: Date.now(),
        degraded: true,
      });
    });
    const badge = screen.getByTestId('connection');
    expect(badge).toHaveTextContent('Live, delayed (server link down)');
    expect(badge).toHaveClass('connection-degraded');
  });

  it('says the server is not saving, since when, while its database does not answer (v1.8)', () => {
    render(<ConnectionIndicator />);
    const since = new Date(2026, 11, 6, 6, 15, 2).getTime();
    act(() => {
      (live as unknown as { setStatus(s: unknown): void }).setStatus({
        state: 'live',
        since: Date.now(),
        degraded: true,
        notSavingSince: since,
      });
    });
    const badge = screen.getByTestId('connection');
    // The graver of the two wins: nothing is stored, let alone late.
    expect(badge).toHaveTextContent(/^Not saving since 0?6:15:02/);
    expect(badge).toHaveClass('connection-not-saving');
    expect(badge).not.toHaveTextContent(/^Live/);
  });
});
