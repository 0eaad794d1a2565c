import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createDefaultProtocol } from '@vigil/clinical';
import { formatClock } from '../../read-model/staleness';
import { eventLog, iso, T0 } from '../../read-model/testing';
import { ProtocolChecklist } from './ProtocolChecklist';

const MIN = 60_000;
const protocol = createDefaultProtocol('oral');

/** A session dosed at T0, in `state`, with whatever else the test adds to the log. */
function dosed(state: 'monitoring' | 'recovery') {
  return eventLog()
    .add('screening.submitted', -20 * MIN, {
      sbp: 128,
      dbp: 80,
      moaasBaseline: 5,
      gate: { status: 'go', reasons: [] },
    })
    .add('session.state_changed', 0, { from: 'ready', to: 'dosed', dosedAt: iso(0) })
    .add('session.state_changed', MIN, { from: 'dosed', to: 'monitoring' })
    .add('session.state_changed', 2 * MIN, { from: 'monitoring', to: state });
}

function renderChecklist(log: ReturnType<typeof eventLog>, now: number, dosedAt: string | null) {
  const model = log.model();
  return render(
    <ProtocolChecklist
      sessionId="s1"
      model={model}
      state={model.state ?? 'screening'}
      dosedAt={dosedAt}
      protocol={protocol}
      protocolLabel="Vigil default (oral) v1"
      now={now}
    />,
  );
}

function mockFetch() {
  const fetchMock = jest.fn((_url: string, _init?: RequestInit) =>
    Promise.resolve({
      ok: true,
      status: 201,
      text: () => Promise.resolve(JSON.stringify({ seq: 9, duplicate: false, state: 'aborted' })),
    }),
  );
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  return fetchMock;
}

describe('ProtocolChecklist: ending a session (CLINICAL.md v2)', () => {
  it('before 120 min offers only "End early (abort)", and says from when sign-off is possible', () => {
    renderChecklist(dosed('monitoring'), T0 + 60 * MIN, iso(0));
    expect(screen.queryByRole('button', { name: 'Sign off' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Override end checklist/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'End early (abort)…' })).toBeInTheDocument();
    expect(screen.getByTestId('end-note')).toHaveTextContent(
      `Sign-off is possible from ${formatClock(T0 + 120 * MIN)} (120 min after the dose), once in recovery. Ending before then is an abort.`,
    );
  });

  it('keeps sign-off away in recovery at 119 min, and offers it at 120', () => {
    const { unmount } = renderChecklist(dosed('recovery'), T0 + 120 * MIN - 1, iso(0));
    expect(screen.queryByRole('button', { name: 'Sign off' })).toBeNull();
    unmount();
    renderChecklist(dosed('recovery'), T0 + 120 * MIN, iso(0));
    expect(screen.getByRole('button', { name: 'Sign off' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Abort session…' })).toBeInTheDocument();
    expect(screen.queryByTestId('end-note')).toBeNull();
  });

  it('asks to begin recovery first when monitoring is past 120 min', () => {
    renderChecklist(dosed('monitoring'), T0 + 130 * MIN, iso(0));
    expect(screen.queryByRole('button', { name: 'Sign off' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Begin recovery' })).toBeInTheDocument();
    expect(screen.getByTestId('end-note')).toHaveTextContent('Begin recovery to sign off.');
  });

  it('blocks sign-off while a breathing alert is open, says why, and offers no override for it', () => {
    const log = dosed('recovery').raise(125 * MIN, 'a1', 'high', 'SpO2 90 <= 91', 'spo2_low');
    renderChecklist(log, T0 + 130 * MIN, iso(0));
    expect(screen.getByRole('button', { name: 'Sign off' })).toBeDisabled();
    const blocked = screen.getByTestId('signoff-blocked');
    expect(blocked).toHaveTextContent('Sign-off is blocked by an open breathing concern');
    expect(within(blocked).getByText('SpO2 90 <= 91')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Override end checklist/ })).toBeNull();
  });

  it('does not block sign-off on a resolved breathing alert or on other open alerts', () => {
    const log = dosed('recovery')
      .raise(100 * MIN, 'a1', 'high', 'RR 8 <= 8', 'rr_low')
      .add('alert.resolved', 110 * MIN, { alertId: 'a1', auto: true, reason: 'condition cleared' })
      .raise(125 * MIN, 'a2', 'medium', 'HR 121 > 120', 'hr_high');
    renderChecklist(log, T0 + 130 * MIN, iso(0));
    expect(screen.getByRole('button', { name: 'Sign off' })).toBeEnabled();
    expect(screen.queryByTestId('signoff-blocked')).toBeNull();
  });

  it('blocks sign-off on an open HR alert while the pulse scores NEWS2 3 (>= 131), as the server does', () => {
    const pulse = (at: number, value: number) =>
      dosed('recovery').add('vitals.recorded', at, {
        readings: [{ kind: 'heart_rate', value, measuredAt: iso(at), source: 'manual' }],
      });
    const at131 = pulse(125 * MIN, 131).raise(125 * MIN, 'a1', 'medium', 'HR 131 > 120', 'hr_high');
    const { unmount } = renderChecklist(at131, T0 + 130 * MIN, iso(0));
    expect(screen.getByRole('button', { name: 'Sign off' })).toBeDisabled();
    expect(within(screen.getByTestId('signoff-blocked')).getByText('HR 131 > 120')).toBeVisible();
    unmount();
    const at125 = pulse(125 * MIN, 125).raise(125 * MIN, 'a1', 'medium', 'HR 125 > 120', 'hr_high');
    renderChecklist(at125, T0 + 130 * MIN, iso(0));
    expect(screen.queryByTestId('signoff-blocked')).toBeNull();
  });

  it('needs a reason to end early, and records it as an abort', async () => {
    const fetchMock = mockFetch();
    renderChecklist(dosed('monitoring'), T0 + 60 * MIN, iso(0));
    await userEvent.click(screen.getByRole('button', { name: 'End early (abort)…' }));
    const submit = screen.getByRole('button', { name: 'End early (abort)' });
    expect(submit).toBeDisabled();
    await userEvent.type(screen.getByLabelText(/recorded as an abort/), 'Patient declined');
    await userEvent.click(submit);
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/sessions/s1/transition');
    expect(JSON.parse(init?.body as string)).toMatchObject({
      action: 'abort',
      reason: 'Patient declined',
    });
  });
});

describe('ProtocolChecklist: pre-dose clearance (CLINICAL.md v2)', () => {
  const noGo = {
    sbp: 172,
    dbp: 96,
    gate: {
      status: 'no_go',
      reasons: [{ code: 'bp_no_go', message: 'BP 172/96 >= 160/100' }],
      remeasureAfter: iso(10 * MIN),
    },
  };

  it('offers the clinician to clear a no-go, and says when the patient may re-measure', () => {
    renderChecklist(eventLog().add('screening.submitted', 0, noGo), T0 + MIN, null);
    expect(
      screen.getByRole('button', { name: 'Clear the dose (override no-go)…' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('clearance-needed')).toHaveTextContent(
      `Dose blocked: only you can clear the dose (the patient is told you will call). The patient may measure again from ${formatClock(T0 + 10 * MIN)}.`,
    );
  });

  it('still needs the clinician after a later "go" reading, until the override', () => {
    const log = eventLog()
      .add('screening.submitted', 0, noGo)
      .add('screening.submitted', 11 * MIN, {
        sbp: 150,
        dbp: 88,
        gate: { status: 'go', reasons: [], clinicianClearanceRequired: true },
      });
    const { unmount } = renderChecklist(log, T0 + 12 * MIN, null);
    expect(screen.getByTestId('clearance-needed')).toHaveTextContent(
      'An earlier reading was a no-go',
    );
    expect(screen.getByRole('button', { name: /Clear the dose/ })).toBeInTheDocument();
    unmount();
    log.add('session.state_changed', 13 * MIN, {
      from: 'screening',
      to: 'ready',
      gate: 'pre_dose',
      override: { by: 'u1' },
      reason: 'Repeat BP fine by phone',
    });
    renderChecklist(log, T0 + 14 * MIN, null);
    expect(screen.queryByRole('button', { name: /Clear the dose/ })).toBeNull();
  });
});

describe('ProtocolChecklist: an ended session', () => {
  it('says how it ended, with the reason, and expects nothing more', () => {
    const log = dosed('monitoring').add('session.state_changed', 30 * MIN, {
      from: 'monitoring',
      to: 'aborted',
      reason: 'Patient declined',
    });
    renderChecklist(log, T0 + 40 * MIN, iso(0));
    expect(screen.getByTestId('session-end')).toHaveTextContent(
      `Aborted at ${formatClock(T0 + 30 * MIN)}: “Patient declined” (no sign-off)`,
    );
    expect(screen.getByTestId('peak-bp')).toHaveTextContent('not taken');
    expect(screen.queryByText(/End checklist/)).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

/**
 * The phone sends the dose time on the server's clock, and a reading's measuredAt by its own
 * (with sentAt since v1.14, so the server stores how long it waited: `waitedMs`). The peak check
 * places a phone's BP by the server's clock, its commit less its wait, as NEWS2 ages it.
 */
describe('ProtocolChecklist: the peak BP check (45 min) from a phone whose clock is off', () => {
  /** A BP typed on the phone and sent at once: committed at `at`, dated by a clock `skew` off. */
  const phoneBp = (log: ReturnType<typeof eventLog>, at: number, skew: number) =>
    log.add('vitals.recorded', at, {
      readings: ['bp_systolic', 'bp_diastolic'].map((kind, i) => ({
        kind,
        value: [131, 84][i],
        measuredAt: iso(at + skew),
        source: 'manual',
        waitedMs: 0,
      })),
    });

  it('10 min slow: counts a BP taken at the peak, not "overdue"', () => {
    const log = phoneBp(dosed('monitoring'), 45 * MIN, -10 * MIN);
    renderChecklist(log, T0 + 50 * MIN, iso(0));
    expect(screen.getByTestId('peak-bp')).toHaveTextContent(
      `taken ${formatClock(T0 + 45 * MIN)} (SBP 131)`,
    );
  });

  it('10 min fast: does not count a BP taken 15 min before the peak', () => {
    const log = phoneBp(dosed('monitoring'), 30 * MIN, 10 * MIN);
    renderChecklist(log, T0 + 35 * MIN, iso(0));
    expect(screen.getByTestId('peak-bp')).toHaveTextContent(`due ${formatClock(T0 + 45 * MIN)}`);
  });
});

/**
 * CLINICAL.md "Recovery and end": BP acceptable "from a reading under 15 min old". The preview
 * ages a phone's BP as the server does at sign-off, by the server's clock (its commit less its
 * wait on the phone, v1.14), so the clinician's screen and the server's answer agree.
 */
describe("ProtocolChecklist: the end checklist's BP from a phone whose clock is off", () => {
  /** A BP 124/79 typed on the phone and sent at once: committed at `at`, dated by a clock `skew` off. */
  const phoneBp = (at: number, skew: number) =>
    dosed('recovery').add('vitals.recorded', at, {
      readings: ['bp_systolic', 'bp_diastolic'].map((kind, i) => ({
        kind,
        value: [124, 79][i],
        measuredAt: iso(at + skew),
        waitedMs: 0,
      })),
    });
  const bpItem = () =>
    screen.getAllByRole('listitem').find((li) => /blood pressure/i.test(li.textContent ?? ''));

  it('10 min fast: a BP taken 20 min before is not met, not "10 min old"', () => {
    renderChecklist(phoneBp(100 * MIN, 10 * MIN), T0 + 120 * MIN, iso(0));
    expect(bpItem()).toHaveTextContent(
      /^✖ not met The last blood pressure is older than 15 minutes: measure again\.$/,
    );
  });

  it('10 min slow: a BP taken 6 min before is met, not "16 min old"', () => {
    renderChecklist(phoneBp(116 * MIN, -10 * MIN), T0 + 122 * MIN, iso(0));
    expect(bpItem()).toHaveTextContent(/^✔ met Blood pressure 124\/79 is at or below 140\/90\.$/);
  });
});
