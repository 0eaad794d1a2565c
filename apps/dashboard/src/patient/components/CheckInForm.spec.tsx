import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { patientOutbox } from '../outbox/patient-outbox';
import { CheckInForm } from './CheckInForm';

jest.mock('../outbox/patient-outbox', () =>
  jest
    .requireActual<typeof import('../test-support/fake-outbox')>('../test-support/fake-outbox')
    .patientOutboxModule(),
);

const scale = (name: RegExp) => within(screen.getByRole('group', { name }));

describe('CheckInForm', () => {
  beforeEach(async () => {
    localStorage.clear();
    patientOutbox.close();
    await patientOutbox.open('patient-1');
  });

  it('asks for at least one answer and stores nothing until there is one', async () => {
    const onSaved = jest.fn();
    render(<CheckInForm sessionId="s1" onSaved={onSaved} onCancel={jest.fn()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Send check-in' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Answer at least one question.');
    expect(patientOutbox.getItems()).toEqual([]);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('saves the answers to the outbox with the time they were given', async () => {
    const onSaved = jest.fn();
    render(<CheckInForm sessionId="s1" onSaved={onSaved} onCancel={jest.fn()} />);
    await userEvent.click(screen.getByLabelText('Answers, but slowly or sleepily'));
    await userEvent.click(scale(/detached/).getByLabelText('3'));
    await userEvent.click(scale(/sick/).getByLabelText('1'));
    await userEvent.click(screen.getByLabelText('Vomiting'));
    await userEvent.type(screen.getByLabelText('Anything else? (optional)'), ' a bit dizzy ');
    await userEvent.click(screen.getByRole('button', { name: 'Send check-in' }));

    const [item] = patientOutbox.getItems();
    expect(item).toMatchObject({
      sessionId: 's1',
      kind: 'checkin',
      status: 'pending',
      body: { moaas: 4, dissociation: 3, nausea: 1, symptoms: ['vomiting'], note: 'a bit dizzy' },
    });
    expect(item.clientId).toMatch(/^checkin-/);
    expect(Date.now() - Date.parse(String(item.body.takenAt))).toBeLessThan(5000);
    expect(item.body).not.toHaveProperty('anxiety');
    expect(onSaved).toHaveBeenCalledWith(item.clientId, false);
  });

  it('shows the emergency advice as soon as an emergency symptom or MOAA/S 2 is chosen', async () => {
    const onSaved = jest.fn();
    render(<CheckInForm sessionId="s1" onSaved={onSaved} onCancel={jest.fn()} />);
    expect(screen.queryByText(/Call emergency services now/)).toBeNull();
    await userEvent.click(screen.getByLabelText('Chest pain'));
    expect(screen.getByText(/Call emergency services now/)).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Chest pain'));
    expect(screen.queryByText(/Call emergency services now/)).toBeNull();
    await userEvent.click(screen.getByLabelText('Answers only after a gentle shake'));
    expect(screen.getByText(/Call emergency services now/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Send check-in' }));
    expect(onSaved).toHaveBeenCalledWith(expect.any(String), true);
  });

  it('keeps a half-filled check-in when the page is closed and opened again', async () => {
    const { unmount } = render(
      <CheckInForm sessionId="s1" onSaved={jest.fn()} onCancel={jest.fn()} />,
    );
    await userEvent.click(scale(/anxious/).getByLabelText('6'));
    unmount();
    render(<CheckInForm sessionId="s1" onSaved={jest.fn()} onCancel={jest.fn()} />);
    expect(scale(/anxious/).getByLabelText('6')).toBeChecked();
  });

  it('says a check-in without the name question does not count for the schedule (v2)', async () => {
    render(<CheckInForm sessionId="s1" onSaved={jest.fn()} onCancel={jest.fn()} />);
    expect(screen.getByTestId('moaas-needed')).toHaveTextContent(
      'Without it, it is sent as a note and the check-in is still due.',
    );
    await userEvent.click(screen.getByLabelText('Answers straight away, in a normal way'));
    expect(screen.queryByTestId('moaas-needed')).toBeNull();
  });
});
