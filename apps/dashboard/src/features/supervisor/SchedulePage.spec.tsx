import '../../shared/testing/jsdom-polyfills';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { SchedulePage } from './SchedulePage';
import { supervisorApi } from './supervisor-api';
import { account, historyItem, renderAt } from './testing';

describe('SchedulePage', () => {
  afterEach(() => jest.restoreAllMocks());

  it("schedules by name, with the patient's own clinician chosen for them", async () => {
    jest.spyOn(supervisorApi, 'accounts').mockResolvedValue([
      account({ id: 'c1', name: 'Dr Ada' }),
      account({ id: 'c2', name: 'Dr Bea' }),
      account({ id: 'c3', name: 'Dr Gone', active: false }),
      account({
        id: 'u9',
        name: 'Pat One',
        role: 'patient',
        patientId: 'p1',
        assignments: [
          {
            id: 'a1',
            clinicianId: 'c1',
            patientId: 'p1',
            otherName: 'Dr Ada',
            validFrom: '2026-11-01T00:00:00.000Z',
            validUntil: '2026-11-10T00:00:00.000Z',
          },
          {
            id: 'a2',
            clinicianId: 'c2',
            patientId: 'p1',
            otherName: 'Dr Bea',
            validFrom: '2026-11-10T00:00:00.000Z',
            validUntil: null,
          },
        ],
      }),
    ]);
    const schedule = jest.spyOn(supervisorApi, 'schedule').mockResolvedValue(
      historyItem({
        state: 'scheduled',
        patient: { id: 'p1', name: 'Pat One' },
        clinician: { id: 'c2', name: 'Dr Bea' },
        scheduledFor: '2026-12-02T09:00:00.000Z',
      }),
    );
    renderAt('/supervisor/schedule', '/supervisor/schedule', <SchedulePage />);
    await screen.findByRole('option', { name: 'Pat One' });
    expect(screen.queryByRole('option', { name: 'Dr Gone' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Schedule' })).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Patient'), { target: { value: 'p1' } });
    expect(screen.getByLabelText('Clinician')).toHaveValue('c2');
    fireEvent.change(screen.getByLabelText('When'), { target: { value: '2026-12-02T09:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule' }));
    await waitFor(() =>
      expect(schedule.mock.calls[0]?.[0]).toEqual({
        patientId: 'p1',
        clinicianId: 'c2',
        scheduledFor: new Date('2026-12-02T09:00').toISOString(),
      }),
    );
    expect(await screen.findByTestId('scheduled')).toHaveTextContent(
      'Scheduled: Pat One with Dr Bea',
    );
  });

  it('says why when the server refuses', async () => {
    jest
      .spyOn(supervisorApi, 'accounts')
      .mockResolvedValue([
        account({ id: 'c1', name: 'Dr Ada' }),
        account({ id: 'u9', name: 'Pat One', role: 'patient', patientId: 'p1' }),
      ]);
    jest
      .spyOn(supervisorApi, 'schedule')
      .mockRejectedValue(new Error('clinicianId: not a clinician'));
    renderAt('/supervisor/schedule', '/supervisor/schedule', <SchedulePage />);
    await screen.findByRole('option', { name: 'Pat One' });
    fireEvent.change(screen.getByLabelText('Patient'), { target: { value: 'p1' } });
    fireEvent.change(screen.getByLabelText('Clinician'), { target: { value: 'c1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Not scheduled: clinicianId: not a clinician',
    );
  });
});
