import { act, fireEvent, screen } from '@testing-library/react';

/** Fills the rendered DoseForm (150 mg, swallowed) and presses "I have taken the dose". */
export async function fillAndSendDose(): Promise<void> {
  fireEvent.change(screen.getByLabelText('Dose'), { target: { value: '150' } });
  fireEvent.click(screen.getByLabelText('Swallowed'));
  fireEvent.click(screen.getByRole('button', { name: 'I have taken the dose' }));
  // The submit and the outbox's add each settle a promise before the form re-renders.
  await act(() => Promise.resolve());
  await act(() => Promise.resolve());
}
