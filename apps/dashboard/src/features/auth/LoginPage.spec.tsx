import { render, screen } from '@testing-library/react';
import { rememberCareTeamPhone } from '../../shared/care-team-phone';
import { LoginPage } from './LoginPage';

/**
 * A patient's login can end mid-session (its 12-hour lifetime, a logout in another tab): the
 * sign-in page had no help button and no number, at the moment the patient may need one.
 */
describe('LoginPage', () => {
  beforeEach(() => localStorage.clear());

  it("shows the care team's number on a phone that has shown a patient's session", () => {
    rememberCareTeamPhone('+44 20 7946 0000');
    render(<LoginPage />);
    expect(screen.getByRole('heading', { name: 'Need help now?' })).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Call your care team on +44 20 7946 0000' }),
    ).toHaveAttribute('href', 'tel:+442079460000');
    expect(screen.getByRole('link', { name: '999' })).toHaveAttribute('href', 'tel:999');
  });

  it('shows none on a device that never showed one (a clinician or supervisor workstation)', () => {
    rememberCareTeamPhone(null);
    render(<LoginPage />);
    expect(screen.queryByRole('heading', { name: 'Need help now?' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });
});
