import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { iso, makeAlert, T0 } from '../../read-model/testing';
import { AlertsPanel } from './AlertsPanel';
import type { AlertsApi } from './alerts-api';

const alert = makeAlert;

function fakeApi(): jest.Mocked<AlertsApi> {
  return {
    acknowledge: jest.fn().mockResolvedValue({}),
    resolve: jest.fn().mockResolvedValue({}),
    silence: jest.fn().mockResolvedValue({}),
  };
}

const now = T0 + 45_000;

describe('AlertsPanel', () => {
  it('offers acknowledge, silence and resolve for an open alert, and acknowledges by keyboard', async () => {
    const api = fakeApi();
    render(<AlertsPanel alerts={[alert()]} now={now} userId="me" api={api} />);
    const item = screen.getByTestId('alert-item');
    expect(item).toHaveTextContent('▲High SBP 186 > 180');
    expect(within(item).getByTestId('alert-status')).toHaveTextContent('Unacknowledged');
    const ack = within(item).getByRole('button', { name: 'Acknowledge' });
    ack.focus();
    await userEvent.keyboard('{Enter}');
    expect(api.acknowledge).toHaveBeenCalledWith('a1');
  });

  it('shows who acknowledged, and no acknowledge button once acknowledged', () => {
    render(
      <AlertsPanel
        alerts={[
          alert({ status: 'acknowledged', acknowledgedAt: iso(30_000), acknowledgedBy: 'me' }),
        ]}
        now={now}
        userId="me"
        api={fakeApi()}
      />,
    );
    expect(screen.getByTestId('alert-status')).toHaveTextContent('Acknowledged by you');
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
  });

  it('silences for 2 minutes at most and shows the countdown while silenced', async () => {
    const api = fakeApi();
    const { rerender } = render(<AlertsPanel alerts={[alert()]} now={now} userId="me" api={api} />);
    await userEvent.click(screen.getByRole('button', { name: 'Silence 2 min' }));
    expect(api.silence).toHaveBeenCalledWith('a1', 2);
    rerender(
      <AlertsPanel
        alerts={[alert({ silencedUntil: iso(45_000 + 100_000) })]}
        now={now}
        userId="me"
        api={api}
      />,
    );
    expect(screen.getByTestId('silence-countdown')).toHaveTextContent('sound returns in 1:40');
    expect(screen.queryByRole('button', { name: 'Silence 2 min' })).toBeNull();
  });

  it('needs a note to resolve, and shows the server refusal', async () => {
    const api = fakeApi();
    api.resolve.mockRejectedValueOnce(new Error('status: the alert is already resolved'));
    render(<AlertsPanel alerts={[alert()]} now={now} userId="me" api={api} />);
    await userEvent.click(screen.getByRole('button', { name: 'Resolve…' }));
    const submit = screen.getByRole('button', { name: 'Resolve alert' });
    expect(submit).toBeDisabled();
    await userEvent.type(screen.getByLabelText('What was done (required)'), 'BP rechecked 150/90');
    await userEvent.click(submit);
    expect(api.resolve).toHaveBeenCalledWith('a1', 'BP rechecked 150/90');
    expect(await screen.findByRole('alert')).toHaveTextContent('already resolved');
  });

  it('lists resolved alerts apart, with the note', () => {
    render(
      <AlertsPanel
        alerts={[
          alert({
            status: 'resolved',
            resolvedAt: iso(60_000),
            resolvedBy: 'me',
            resolutionNote: 'ok now',
          }),
        ]}
        now={now}
        userId="me"
        api={fakeApi()}
      />,
    );
    expect(screen.getByText('No open alerts.')).toBeInTheDocument();
    expect(screen.getByText('Resolved alerts (1)')).toBeInTheDocument();
    expect(screen.getByText(/ok now/)).toBeInTheDocument();
  });

  it('says why an alert is back: reopened, priority raised, and how many help presses', () => {
    render(
      <AlertsPanel
        alerts={[
          alert({ reopenedAt: iso(40_000), raisedFrom: 'medium', annunciation: 2 }),
          alert({ id: 'h1', condition: 'help', message: 'Help button pressed', count: 3 }),
        ]}
        now={now}
        userId="me"
        api={fakeApi()}
      />,
    );
    const [reopened, help] = screen.getAllByTestId('alert-item');
    expect(within(reopened).getByTestId('alert-news')).toHaveTextContent(
      /Priority raised from medium · Reopened \d\d:\d\d/,
    );
    expect(within(reopened).getByTestId('alert-status')).toHaveTextContent('Unacknowledged');
    expect(within(help).getByTestId('alert-count')).toHaveTextContent('×3');
  });

  it('offers no silence for an alert that never sounds (informational)', () => {
    render(
      <AlertsPanel
        alerts={[
          alert({ priority: 'info', condition: 'sedation', message: 'MOAA/S 4 below pre-dose 5' }),
        ]}
        now={now}
        userId="me"
        api={fakeApi()}
      />,
    );
    expect(screen.queryByRole('button', { name: 'Silence 2 min' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Acknowledge' })).toBeInTheDocument();
  });
});
