import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { patientOutbox } from '../outbox/patient-outbox';
import { ScreeningForm } from './ScreeningForm';

jest.mock('../outbox/patient-outbox', () =>
  jest
    .requireActual<typeof import('../test-support/fake-outbox')>('../test-support/fake-outbox')
    .patientOutboxModule(),
);

const answer = async (question: RegExp, label: string) =>
  userEvent.click(within(screen.getByRole('group', { name: question })).getByLabelText(label));

describe('ScreeningForm', () => {
  beforeEach(async () => {
    localStorage.clear();
    // PHQ-9 and GAD-7 were answered this week on this phone: not due today.
    localStorage.setItem('vigil.patient.questionnaires.u1', new Date().toISOString());
    patientOutbox.close();
    await patientOutbox.open('u1');
  });

  const renderForm = (onSaved = jest.fn()) =>
    render(
      <ScreeningForm userId="u1" sessionId="s1" gate={null} refused={null} onSaved={onSaved} />,
    );

  it('marks what is missing, stores nothing, and clears a mark once it is answered', async () => {
    renderForm();
    await userEvent.click(screen.getByRole('button', { name: 'Send to my care team' }));
    expect(screen.getByText('Enter the top blood pressure number.')).toBeInTheDocument();
    expect(
      screen.getByText('Enter the oxygen level (SpO2) from the finger clip.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Some answers are missing. They are marked above.'),
    ).toBeInTheDocument();
    expect(patientOutbox.getItems()).toEqual([]);
    await answer(/18 or older/, 'Yes');
    expect(
      within(screen.getByRole('group', { name: /18 or older/ })).queryByText('Answer yes or no.'),
    ).toBeNull();
  });

  it('saves a complete screening to the outbox in the contract shape', async () => {
    const onSaved = jest.fn();
    renderForm(onSaved);
    await userEvent.type(screen.getByLabelText('Top number'), '150');
    await userEvent.type(screen.getByLabelText('Bottom number'), '85');
    await userEvent.type(screen.getByLabelText('Heart rate'), '80');
    await userEvent.type(screen.getByLabelText('Oxygen (SpO2)'), '97');
    await answer(/18 or older/, 'Yes');
    await answer(/whole session/, 'Yes');
    await userEvent.type(screen.getByLabelText('Their name'), 'Alex');
    await userEvent.type(screen.getByLabelText('Their phone number'), '07700 900123');
    await answer(/no food/, 'Yes');
    await answer(/last 24 hours/, 'No');
    await userEvent.click(screen.getByLabelText('Answers straight away, in a normal way'));
    await userEvent.click(screen.getByRole('button', { name: 'Send to my care team' }));

    expect(onSaved).toHaveBeenCalled();
    expect(patientOutbox.getItems()[0]).toMatchObject({
      kind: 'screening',
      body: {
        sbp: 150,
        dbp: 85,
        hr: 80,
        spo2: 97,
        supportPerson: {
          adult: true,
          presentWholeSession: true,
          name: 'Alex',
          phone: '07700 900123',
        },
        fasting: true,
        noRecentSubstances: true,
        moaasBaseline: 5,
      },
    });
    expect(patientOutbox.getItems()[0].body).not.toHaveProperty('phq9');
  });

  it('asks PHQ-9 and GAD-7 when due, and answers a "self-harm" item with a way to get help', async () => {
    localStorage.clear();
    renderForm();
    expect(screen.getByRole('region', { name: 'Mood this week (PHQ-9)' })).toBeInTheDocument();
    await answer(/^9\. Thoughts/, 'Several days');
    expect(screen.getByRole('alert')).toHaveTextContent(
      /press Get help or call emergency services/,
    );
  });
});
