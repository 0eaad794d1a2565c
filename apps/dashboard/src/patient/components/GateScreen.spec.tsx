import { act, render, screen } from '@testing-library/react';
import type { GateView } from '../session-phase';
import { GateScreen } from './GateScreen';

const NOW = Date.parse('2026-11-26T10:00:00Z');
const gate = (over: Partial<GateView> = {}): GateView => ({
  status: 'no_go',
  reasons: [{ code: 'bp_no_go', message: 'Blood pressure 172/96 is at or above 160/100.' }],
  hardStop: false,
  remeasureAfter: new Date(NOW + 7 * 60_000 + 5_000).toISOString(),
  clearanceRequired: true,
  ...over,
});

describe('GateScreen', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('after a no-go, counts down the rest and keeps "Measure again" disabled until it is over', () => {
    const onRetake = jest.fn();
    render(<GateScreen gate={gate()} onRetake={onRetake} onCautionAccepted={jest.fn()} />);
    expect(screen.getByRole('heading', { name: 'Please wait for your clinician' })).toBeVisible();
    expect(screen.getByText(/172\/96/)).toBeInTheDocument();
    expect(screen.getByText(/must clear the dose and will call you/)).toBeInTheDocument();
    expect(screen.getByRole('timer')).toHaveTextContent('in 7:05');
    expect(screen.getByRole('button', { name: 'Measure again in 7:05' })).toBeDisabled();

    act(() => jest.advanceTimersByTime(7 * 60_000));
    expect(screen.getByRole('button', { name: 'Measure again in 0:05' })).toBeDisabled();
    act(() => jest.advanceTimersByTime(5_000));
    expect(screen.queryByRole('timer')).toBeNull();
    const button = screen.getByRole('button', { name: 'Measure again' });
    expect(button).toBeEnabled();
    button.click();
    expect(onRetake).toHaveBeenCalled();
  });

  it('after a no-go that is a hard stop (no adult support person), waits out the rest too', () => {
    const onRetake = jest.fn();
    const hardStop = gate({
      hardStop: true,
      reasons: [
        { code: 'support_person_not_adult', message: 'The support person must be an adult.' },
      ],
    });
    render(<GateScreen gate={hardStop} onRetake={onRetake} onCautionAccepted={jest.fn()} />);
    expect(screen.getByRole('heading', { name: 'Do not take the dose today' })).toBeVisible();
    // The server refuses a screening before the rest, finally: the new answers would be lost.
    expect(screen.getByRole('button', { name: 'Change my answers in 7:05' })).toBeDisabled();
    act(() => jest.advanceTimersByTime(7 * 60_000 + 5_000));
    screen.getByRole('button', { name: 'Change my answers' }).click();
    expect(onRetake).toHaveBeenCalled();
  });

  it('after a later lower reading, says only the clinician can clear the dose, with no dose button', () => {
    render(
      <GateScreen
        gate={gate({ status: 'go', reasons: [], remeasureAfter: null })}
        onRetake={jest.fn()}
        onCautionAccepted={jest.fn()}
      />,
    );
    expect(screen.getByTestId('clearance-required')).toHaveTextContent(
      'only your clinician can clear the dose now',
    );
    expect(screen.queryByRole('button', { name: /go ahead|dose/i })).toBeNull();
    expect(screen.getByRole('button', { name: 'Measure again' })).toBeEnabled();
  });

  it('shows why a re-measure was refused', () => {
    render(
      <GateScreen
        gate={gate()}
        refused="measure again after 10:07"
        onRetake={jest.fn()}
        onCautionAccepted={jest.fn()}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Not accepted: measure again after 10:07');
  });
});
