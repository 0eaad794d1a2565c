/**
 * The patient's phone at home on a poor network: what it says when something it sent was refused,
 * when it is offline, and where focus goes (review h5; each of these failed before its fix).
 */
import '../shared/testing/jsdom-polyfills';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import type { OutboxItem } from '@vigil/outbox';
import type { SessionEvent, SessionSummary } from '@vigil/contracts';
import { patientOutbox } from './outbox/patient-outbox';
import { fakeOf } from './test-support/fake-outbox';
import { PatientPage } from './PatientPage';
import { SyncStatus } from './components/SyncStatus';
import { HelpButton } from './components/HelpButton';

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

describe('a check-in refused as invalid (400)', () => {
  async function sendRefusedCheckIn() {
    current = { session: session('monitoring'), events: [] };
    render(page());
    await userEvent.click(screen.getByRole('button', { name: /^(Start check-in|Check in now)$/ }));
    await userEvent.click(screen.getByLabelText('Answers, but slowly or sleepily'));
    await userEvent.click(screen.getByLabelText('Vomiting'));
    await userEvent.type(screen.getByLabelText('Anything else? (optional)'), 'dizzy');
    fake.answers.push({ kind: 'rejected', message: TAKEN_AT_AHEAD });
    await userEvent.click(screen.getByRole('button', { name: 'Send check-in' }));
    await act(() => patientOutbox.flush());
    expect(patientOutbox.getItems()[0].status).toBe('rejected');
  }

  it('keeps the answers so the support person can send them again once it is fixed', async () => {
    await sendRefusedCheckIn();
    // The draft is cleared once queued: the form opens on what was refused, not on nothing.
    await userEvent.click(screen.getByRole('button', { name: /^(Start check-in|Check in now)$/ }));
    expect(screen.getByLabelText('Answers, but slowly or sleepily')).toBeChecked();
    expect(screen.getByLabelText('Vomiting')).toBeChecked();
    expect(screen.getByLabelText('Anything else? (optional)')).toHaveValue('dizzy');
    expect(screen.getByTestId('checkin-refused')).toHaveTextContent(/check they are still right/);

    fake.answers.push({ kind: 'delivered', seq: 3, duplicate: false });
    await userEvent.click(screen.getByRole('button', { name: 'Send check-in' }));
    await act(() => patientOutbox.flush());
    expect(fake.sent.at(-1)?.body).toMatchObject({
      moaas: 4,
      symptoms: ['vomiting'],
      note: 'dizzy',
    });
    // Received: the next check-in starts empty.
    await userEvent.click(screen.getByRole('button', { name: /^(Start check-in|Check in now)$/ }));
    expect(screen.getByLabelText('Answers, but slowly or sleepily')).not.toBeChecked();
  });

  it('tells the patient in plain words what to fix, not the server field name and ISO times', async () => {
    await sendRefusedCheckIn();
    const main = screen.getByRole('main');
    // The phone shows "Not accepted: Please check takenAt: 2026-12-02T10:02:00.000Z is more
    // than a minute ahead of the server clock (...)": a field name and raw ISO times.
    expect(main).not.toHaveTextContent(/takenAt/);
    expect(main).not.toHaveTextContent(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(screen.getByTestId('not-reached')).toHaveTextContent(
      "This phone's clock is wrong: check its date and time",
    );
  });
});

describe('the sync line tells the truth', () => {
  const refused = (kind: OutboxItem['kind']): OutboxItem => ({
    clientId: `${kind}-1`,
    userId: 'patient-1',
    sessionId: 's1',
    kind,
    body:
      kind === 'vitals'
        ? { readings: [{ kind: 'bp_systolic', value: 190, measuredAt: new Date().toISOString() }] }
        : {},
    createdAt: new Date().toISOString(),
    status: 'rejected',
    attempts: 1,
    lastError: 'Please check readings[0].measuredAt: ... is more than a minute ahead',
  });

  it.each(['vitals', 'dose', 'screening', 'message'] as const)(
    'does not say "everything is sent" when a %s was refused, and links to the list of what',
    (kind) => {
      render(<SyncStatus items={[refused(kind)]} />);
      const line = screen.getByTestId('sync-status');
      expect(line).not.toHaveTextContent('everything is sent');
      expect(within(line).getByRole('link', { name: '1 not accepted: see which' })).toHaveAttribute(
        'href',
        '#not-reached',
      );
    },
  );

  it('counts a refusal until the patient has read it, then no more', () => {
    const read = { ...refused('vitals'), dismissedAt: new Date().toISOString() };
    render(<SyncStatus items={[read]} />);
    expect(screen.getByTestId('sync-status')).toHaveTextContent('everything is sent');
  });
});

describe('the help button', () => {
  it('moves focus into the help screen once help is raised (the confirm button it had is gone)', async () => {
    render(<HelpButton sessionId="s1" careTeamPhone={PHONE} />);
    await userEvent.click(screen.getByRole('button', { name: 'Get help' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, alert my care team' }));
    const dialog = screen.getByRole('dialog');
    expect(
      within(dialog).getByRole('heading', { name: 'Sending your help request' }),
    ).toHaveFocus();
    // Entering the dialog reads its title, then the status as its description.
    expect(dialog).toHaveAccessibleName('Sending your help request');
    expect(dialog).toHaveAccessibleDescription(/not sent yet\. Nobody has been alerted yet\./);
    expect(within(dialog).getByRole('status')).toBe(screen.getByTestId('help-status'));
  });

  it('offline, says plainly that nobody has been alerted yet and to call', async () => {
    const onLine = jest.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      render(<HelpButton sessionId="s1" careTeamPhone={PHONE} />);
      await userEvent.click(screen.getByRole('button', { name: 'Get help' }));
      await userEvent.click(screen.getByRole('button', { name: 'Yes, alert my care team' }));
      expect(
        screen.getByRole('heading', { name: 'Not sent yet: no connection' }),
      ).toBeInTheDocument();
      expect(screen.getByTestId('help-status')).toHaveTextContent('Nobody has been alerted yet.');
      expect(screen.getByText(/call your care team on the number below/)).toBeInTheDocument();
      expect(screen.getByRole('link', { name: `Call your care team on ${PHONE}` })).toBeVisible();
    } finally {
      onLine.mockRestore();
    }
  });

  it('with no session on the phone, still gives the care team number the phone remembers', async () => {
    // The sign-in page shows this remembered number (care-team-phone.ts); the help screen,
    // which tells the patient to "Call them", does not.
    localStorage.setItem('vigil.careTeamPhone', PHONE);
    current = { session: null, events: [] };
    render(page());
    await userEvent.click(screen.getByRole('button', { name: 'Get help' }));
    expect(screen.getByText(/Call them, or emergency services/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: `Call your care team on ${PHONE}` })).toBeVisible();
  });
});

describe('a refused help press when the phone moves on to the next session', () => {
  it('keeps telling the patient that the help request did not go through', async () => {
    current = { session: session('monitoring'), events: [] };
    const view = render(page());
    await userEvent.click(screen.getByRole('button', { name: 'Get help' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, alert my care team' }));
    await userEvent.click(screen.getByRole('button', { name: 'Back to my session' }));
    // The clinician aborts the session and schedules it again for later today; the press,
    // sent after the abort, is refused (409 state). pickTodaysSession now picks the new one.
    fake.answers.push({
      kind: 'rejected',
      message:
        'The session is aborted and nobody is watching it; call your care team, or emergency services.',
    });
    await act(() => patientOutbox.flush());
    expect(patientOutbox.getItems()[0].status).toBe('rejected');
    current = {
      session: {
        ...session('scheduled'),
        id: 's2',
        dosedAt: null,
        scheduledFor: new Date(Date.now() + 2 * 3600_000).toISOString(),
      },
      events: [],
    };
    view.rerender(page());
    // It stays, whatever session is on screen, until the patient says they have read it.
    expect(screen.getByTestId('sync-status')).not.toHaveTextContent('everything is sent');
    const notice = screen.getByTestId('not-reached');
    expect(notice).toHaveTextContent(/help request did not go through/);
    expect(
      within(notice).getByRole('link', { name: `Call your care team on ${PHONE}` }),
    ).toBeVisible();

    await userEvent.click(within(notice).getByRole('button', { name: 'I have read this' }));
    expect(screen.queryByTestId('not-reached')).toBeNull();
    expect(screen.getByTestId('sync-status')).toHaveTextContent('everything is sent');
    expect(patientOutbox.getItems()[0].dismissedAt).toEqual(expect.any(String));
  });
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

    // The care team has the answers now: the phone no longer says, as an alert, that nobody saw
    // them, and the sync line no longer counts "1 not accepted" (both did, found by a review).
    expect(screen.queryByText(/Your check-in did not reach your care team/)).toBeNull();
    expect(screen.getByTestId('sync-status')).not.toHaveTextContent('not accepted');
  });
});
