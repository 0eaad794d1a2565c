import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { patientOutbox } from '../outbox/patient-outbox';
import { BpForm } from './BpForm';

jest.mock('../outbox/patient-outbox', () =>
  jest
    .requireActual<typeof import('../test-support/fake-outbox')>('../test-support/fake-outbox')
    .patientOutboxModule(),
);

describe('BpForm', () => {
  beforeEach(async () => {
    localStorage.clear();
    patientOutbox.close();
    await patientOutbox.open('patient-1');
  });

  it('sends typed-in readings marked as manual, measured at the same instant', async () => {
    const onSaved = jest.fn();
    render(<BpForm sessionId="s1" onSaved={onSaved} onCancel={jest.fn()} />);
    await userEvent.type(screen.getByLabelText('Top number'), '142');
    await userEvent.type(screen.getByLabelText('Bottom number'), '88');
    await userEvent.type(screen.getByLabelText(/Oxygen/), '96');
    await userEvent.click(screen.getByRole('button', { name: 'Send blood pressure' }));

    expect(onSaved).toHaveBeenCalled();
    const [item] = patientOutbox.getItems();
    const readings = item.body.readings as Array<Record<string, unknown>>;
    expect(readings.map((r) => [r.kind, r.value, r.source])).toEqual([
      ['bp_systolic', 142, 'manual'],
      ['bp_diastolic', 88, 'manual'],
      ['spo2', 96, 'manual'],
    ]);
    expect(new Set(readings.map((r) => r.measuredAt)).size).toBe(1);
  });
});
