import { render, screen, within } from '@testing-library/react';
import { EmergencyAdvice } from './EmergencyAdvice';

describe('EmergencyAdvice', () => {
  it('offers the emergency numbers as tap-to-call links', () => {
    render(<EmergencyAdvice />);
    expect(screen.getByRole('link', { name: 'Call 911 (US)' })).toHaveAttribute('href', 'tel:911');
    expect(screen.getByRole('link', { name: 'Call 999 (UK)' })).toHaveAttribute('href', 'tel:999');
    expect(screen.getByRole('link', { name: 'Call 112 (Europe)' })).toHaveAttribute(
      'href',
      'tel:112',
    );
    const numbers = screen.getByRole('list', { name: 'Emergency numbers' });
    expect(
      within(numbers)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['911 (US)', '999 (UK)', '112 (Europe)']);
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Dial your emergency number (tap to call):911 (US)999 (UK)112 (Europe)Say the patient took ketamine, and how much.',
    );
  });
});
