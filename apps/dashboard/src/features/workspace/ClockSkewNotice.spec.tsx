import { act, render, screen } from '@testing-library/react';
import { serverClock } from '../../clock/server-clock';
import { ClockSkewNotice } from './ClockSkewNotice';

/** This computer's clock, on a whole second (the `Date` header's resolution). */
const LOCAL = Date.parse('2026-11-26T10:00:00Z');
/** An API answer written `ahead` ms after this computer's time, come back at once. */
const answerAt = (ahead: number) =>
  act(() => serverClock.observeDate(new Date(LOCAL + ahead).toUTCString(), LOCAL, LOCAL));

describe('ClockSkewNotice', () => {
  it("says nothing while this computer's clock is within a minute of the server's", () => {
    render(<ClockSkewNotice />);
    answerAt(30_000);
    expect(screen.queryByTestId('clock-skew')).toBeNull();
  });

  it('says by how much and which way once it is further off', () => {
    render(<ClockSkewNotice />);
    // Just under 5 min (the Date header's second, our estimate its middle): 5 min to a person.
    answerAt(5 * 60_000 - 1_000);
    expect(screen.getByRole('status')).toHaveTextContent(
      "This computer's clock is 5 min behind the server's.",
    );
    answerAt(-2 * 60_000 - 2_000);
    expect(screen.getByRole('status')).toHaveTextContent(
      "This computer's clock is 2 min ahead of the server's.",
    );
  });
});
