/**
 * v1.9: a patient's help, check-in, vitals or message to a
 * session that is not live is refused 409 `state`. The commit (2629487) says "the phone's help
 * screen then says it did not go through, with the number to call". Followed through the phone:
 * a help press (or a check-in reporting chest pain) queued while the session was live, sent after
 * the clinician ended it, is refused; what does the patient see?
 */
import '../shared/testing/jsdom-polyfills';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import type { SessionEvent, SessionSummary } from '@vigil/contracts';
import { patientOutbox } from './outbox/patient-outbox';
import { fakeOf } from './test-support/fake-outbox';
import { PatientPage } from './PatientPage';
import { SyncStatus } from './components/SyncStatus';

jest.mock('./outbox/patient-outbox', () =>
  jest
    .requireActual<typeof import('./test-support/fake-outbox')>('./test-support/fake-outbox')
    .patientOutboxModule(),
);
const fake = fakeOf(patientOutbox);

let current: { session: SessionSummary | null; events: SessionEvent[] } = {
  session: null,
  events: [],
};
jest.mock('./hooks/usePatientSession', () => ({
  usePatientSession: () => ({ ...current, loading: false, stale: false }),
}));
jest.mock('./hooks/usePresenceHeartbeat', () => ({ usePresenceHeartbeat: () => undefined }));
jest.mock('../realtime/useConnectionStatus', () => ({
  useConnectionStatus: () => ({ state: 'live' }),
}));

const PHONE = '+44 20 7946 0000';
const dosedAt = new Date(Date.now() - 100 * 60_000).toISOString();
const session = (state: SessionSummary['state']): SessionSummary => ({
  overrides: [],
  id: 's1',
  patient: { id: 'p1', name: 'Pat One' },
  clinician: { id: 'c1', name: 'Dr C' },
  state,
  protocol: { id: 'p', name: 'Vigil default (oral)', version: 1 },
  scheduledFor: null,
  dosedAt,
  endedAt: state === 'ended' ? new Date().toISOString() : null,
  headSeq: 0,
  careTeamPhone: PHONE,
});

const page = () => (
  <MemoryRouter>
    <PatientPage userId="patient-1" name="Pat One" />
  </MemoryRouter>
);

describe('a submission refused because the session ended meanwhile', () => {
  beforeEach(async () => {
    fake.rows.clear();
    fake.answers.length = 0;
    localStorage.clear();
    patientOutbox.close();
    await patientOutbox.open('patient-1');
  });

  it('a help press queued offline and refused after the end tells the patient to call, with the number', async () => {
    current = { session: session('monitoring'), events: [] };
    const view = render(page());
    // Offline: the press is saved on the phone (the fake transport answers "retry").
    await userEvent.click(screen.getByRole('button', { name: 'Get help' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, alert my care team' }));
    expect(screen.getByRole('heading', { name: 'Sending your help request' })).toBeInTheDocument();
    // The patient goes back to the session screen (the overlay says it is sent by itself).
    await userEvent.click(screen.getByRole('button', { name: 'Back to my session' }));

    // Meanwhile the clinician ended the session; the phone learns it and then sends the press.
    current = { session: session('ended'), events: [] };
    view.rerender(page());
    fake.answers.push({
      kind: 'rejected',
      message:
        'state: the session is ended and nobody is watching it; call your care team, or emergency services',
    });
    await act(() => patientOutbox.flush());
    expect(patientOutbox.getItems()[0].status).toBe('rejected');

    // Nobody was alerted. The patient must be told so, as an alert, with the number to call.
    expect(screen.getByText(/help request did not go through/i)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: `Call your care team on ${PHONE}` }),
    ).toBeInTheDocument();
  });

  it('a check-in reporting chest pain, refused after the end, tells the patient to call, with the number', async () => {
    current = { session: session('monitoring'), events: [] };
    const view = render(page());
    // Queued offline while live (what CheckInForm enqueues).
    await act(async () => {
      await patientOutbox.enqueue({
        sessionId: 's1',
        kind: 'checkin',
        body: { symptoms: ['chest_pain'], takenAt: new Date().toISOString() },
      });
    });
    current = { session: session('ended'), events: [] };
    view.rerender(page());
    fake.answers.push({
      kind: 'rejected',
      message: 'state: the session is ended; nothing more can be sent to it',
    });
    await act(() => patientOutbox.flush());
    expect(patientOutbox.getItems()[0].status).toBe('rejected');

    // The end screen says "Thank you, and well done" and lists "Check-in: Not accepted: state:
    // ...": the care team never saw the chest pain, and the patient is not told to call.
    expect(
      screen.getByRole('link', { name: `Call your care team on ${PHONE}` }),
    ).toBeInTheDocument();
    expect(screen.getByText(/Call emergency services now/)).toBeInTheDocument();
  });
});

describe('the sync line after a refusal', () => {
  it('does not say "everything is sent" (green) when a help press was refused', () => {
    const items = [
      {
        clientId: 'help-1',
        userId: 'patient-1',
        sessionId: 's1',
        kind: 'help' as const,
        body: {},
        createdAt: new Date().toISOString(),
        status: 'rejected' as const,
        attempts: 1,
        lastError: 'state: the session is ended and nobody is watching it',
      },
    ];
    render(<SyncStatus items={items} />);
    const line = screen.getByTestId('sync-status');
    expect(line).not.toHaveTextContent('everything is sent');
    expect(line).not.toHaveClass('pt-sync-ok');
  });
});
