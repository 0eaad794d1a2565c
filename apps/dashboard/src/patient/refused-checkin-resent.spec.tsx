/**
 * The patient's phone at home on a poor network: what it says when something it sent was refused,
 * when it is offline, and where focus goes (review h5; each of these failed before its fix).
 */
import '../shared/testing/jsdom-polyfills';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import type { Outbox } from '@vigil/outbox';
import type { SessionEvent, SessionSummary } from '@vigil/contracts';
import { patientOutbox } from './outbox/patient-outbox';
import type { createFakeOutbox } from './test-support/fake-outbox';
import { PatientPage } from './PatientPage';

jest.mock('./outbox/patient-outbox', () => {
  const fake = jest
    .requireActual<typeof import('./test-support/fake-outbox')>('./test-support/fake-outbox')
    .createFakeOutbox();
  return { patientOutbox: Object.assign(fake.outbox, { fake }) };
});
const fake = (patientOutbox as Outbox & { fake: ReturnType<typeof createFakeOutbox> }).fake;

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
const dosedAt = new Date(Date.now() - 40 * 60_000).toISOString();
const session = (state: SessionSummary['state']): SessionSummary => ({
  overrides: [],
  id: 's1',
  patient: { id: 'p1', name: 'Pat One' },
  clinician: { id: 'c1', name: 'Dr C' },
  state,
  protocol: { id: 'p', name: 'Vigil default (oral)', version: 1 },
  scheduledFor: null,
  dosedAt,
  endedAt: null,
  headSeq: 0,
  careTeamPhone: PHONE,
});

const page = () => (
  <MemoryRouter>
    <PatientPage userId="patient-1" name="Pat One" />
  </MemoryRouter>
);

// What the REST path of createOutboxTransport records as lastError for the server's 400 when the
// phone's clock runs 2 minutes fast (submissions.service refuseFuture; api.ts apiErrorInWords).
const TAKEN_AT_AHEAD =
  'Please check takenAt: 2026-12-02T10:02:00.000Z is more than a minute ahead of the server clock (2026-12-02T10:00:00.000Z)';

// jsdom has no scrolling: the check-in form scrolls to the top once sent.
window.scrollTo = () => undefined;

beforeEach(async () => {
  fake.rows.clear();
  fake.answers.length = 0;
  fake.sent.length = 0;
  localStorage.clear();
  patientOutbox.close();
  await patientOutbox.open('patient-1');
});

describe('a refused check-in sent again and received', () => {
  it('no longer tells the patient that nobody on the care team has seen her check-in', async () => {
    current = { session: session('monitoring'), events: [] };
    render(page());
    await userEvent.click(screen.getByRole('button', { name: /^(Start check-in|Check in now)$/ }));
    await userEvent.click(screen.getByLabelText('Answers, but slowly or sleepily'));
    fake.answers.push({ kind: 'rejected', message: TAKEN_AT_AHEAD });
    await userEvent.click(screen.getByRole('button', { name: 'Send check-in' }));
    await act(() => patientOutbox.flush());
    expect(screen.getByTestId('not-reached')).toHaveTextContent(
      'Your check-in did not reach your care team',
    );

    // The form opens on the refused answers (8d15c43); the clock is fixed and they are sent again.
    await userEvent.click(screen.getByRole('button', { name: /^(Start check-in|Check in now)$/ }));
    fake.answers.push({ kind: 'delivered', seq: 3, duplicate: false });
    await userEvent.click(screen.getByRole('button', { name: 'Send check-in' }));
    await act(() => patientOutbox.flush());
    expect(patientOutbox.getItems().map((i) => i.status)).toEqual(['rejected', 'delivered']);

    // The care team has the answers now; the phone still says, as an alert, that nobody saw them
    // ("Nobody on your care team has seen it. If you need help, call them now.") and the sync
    // line still counts "1 not accepted".
    expect(screen.queryByText(/Your check-in did not reach your care team/)).toBeNull();
    expect(screen.getByTestId('sync-status')).not.toHaveTextContent('not accepted');
  });
});
