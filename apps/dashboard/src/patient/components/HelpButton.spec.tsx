import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { patientOutbox } from '../outbox/patient-outbox';
import { fakeOf } from '../test-support/fake-outbox';
import { HelpButton } from './HelpButton';

jest.mock('../outbox/patient-outbox', () =>
  jest
    .requireActual<typeof import('../test-support/fake-outbox')>('../test-support/fake-outbox')
    .patientOutboxModule(),
);
const fake = fakeOf(patientOutbox);

describe('HelpButton', () => {
  beforeEach(async () => {
    fake.rows.clear();
    fake.answers.length = 0;
    patientOutbox.close();
    await patientOutbox.open('patient-1');
  });

  it('asks for a confirmation first, and a cancel raises nothing', async () => {
    render(<HelpButton sessionId="s1" />);
    await userEvent.click(screen.getByRole('button', { name: 'Get help' }));
    expect(screen.getByRole('alertdialog', { name: 'Get help now?' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Yes, alert my care team' })).toHaveFocus();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(patientOutbox.getItems()).toEqual([]);
  });

  it('raises help through the outbox and shows the emergency guidance and its delivery', async () => {
    render(<HelpButton sessionId="s1" />);
    await userEvent.click(screen.getByRole('button', { name: 'Get help' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, alert my care team' }));

    expect(patientOutbox.getItems().map((i) => [i.kind, i.sessionId])).toEqual([['help', 's1']]);
    // Not sent yet: nobody has been alerted, and the screen must not say so.
    expect(screen.getByRole('heading', { name: 'Sending your help request' })).toBeInTheDocument();
    expect(screen.getByTestId('help-status')).toHaveTextContent(
      'Saved on this phone, not sent yet',
    );
    expect(screen.getByText(/Call emergency services now if the patient has/)).toBeInTheDocument();
    expect(screen.getByText('Chest pain')).toBeInTheDocument();

    fake.answers.push({ kind: 'delivered', seq: 12, duplicate: false });
    await act(() => patientOutbox.flush());
    expect(screen.getByTestId('help-status')).toHaveTextContent('Received by your care team');
    expect(
      screen.getByRole('heading', { name: 'Your care team has been alerted' }),
    ).toBeInTheDocument();
  });

  it("offers the care team's number as a tap-to-call link when the clinic has set one", async () => {
    const { unmount } = render(<HelpButton sessionId="s1" careTeamPhone="+44 20 7946 0000" />);
    await userEvent.click(screen.getByRole('button', { name: 'Get help' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, alert my care team' }));
    const link = screen.getByRole('link', { name: 'Call your care team on +44 20 7946 0000' });
    expect(link).toHaveAttribute('href', 'tel:+442079460000');
    expect(screen.getByRole('link', { name: 'Call 999 (UK)' })).toHaveAttribute('href', 'tel:999');
    unmount();

    render(<HelpButton sessionId={null} careTeamPhone={null} />);
    await userEvent.click(screen.getByRole('button', { name: 'Get help' }));
    expect(screen.queryByRole('link', { name: /care team/ })).toBeNull();
  });

  it('shows what to do, without pretending to alert anyone, when no session is live', async () => {
    render(<HelpButton sessionId={null} />);
    await userEvent.click(screen.getByRole('button', { name: 'Get help' }));
    expect(screen.getByRole('heading', { name: 'Get help now' })).toBeInTheDocument();
    expect(screen.getByText(/cannot alert your care team/)).toBeInTheDocument();
    expect(patientOutbox.getItems()).toEqual([]);
  });
});
