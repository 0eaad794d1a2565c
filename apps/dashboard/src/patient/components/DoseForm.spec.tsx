/**
 * The dose time the phone sends. CLINICAL.md step 3: "The session clock starts here:
 * the check-in schedule, the peak BP check and the 120 minutes all count from the time the dose
 * was taken (v2)."
 */
import { spawnSync } from 'node:child_process';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { DEFAULT_ORAL_PROTOCOL, transition } from '@vigil/clinical';
import { patientOutbox } from '../outbox/patient-outbox';
import { fakeOf } from '../test-support/fake-outbox';
import { fillAndSendDose } from '../test-support/dose-form';
import { takenAtFrom } from '../dose-time';
import { DoseForm } from './DoseForm';
import { makeSnapshot } from '../../../../../libs/clinical/src/testing/factories';

jest.mock('../outbox/patient-outbox', () =>
  jest
    .requireActual<typeof import('../test-support/fake-outbox')>('../test-support/fake-outbox')
    .patientOutboxModule(),
);
const fake = fakeOf(patientOutbox);

describe('DoseForm: the time taken', () => {
  beforeEach(async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    localStorage.clear();
    patientOutbox.close();
    await patientOutbox.open('patient-1');
  });
  afterEach(() => jest.useRealTimers());

  it('does not date the dose to when the screen opened when the patient took it 40 minutes later', async () => {
    // The screening was a go at 10:00; the dose screen stays open while the patient gets ready.
    jest.setSystemTime(new Date(2026, 11, 4, 10, 0, 0));
    render(<DoseForm sessionId="s1" gate={null} overridden={false} refused={null} />);
    // 10:40: the patient takes the dose and taps "I have taken the dose" at once.
    act(() => jest.setSystemTime(new Date(2026, 11, 4, 10, 40, 0)));
    await fillAndSendDose();

    const dose = patientOutbox.getItems().find((i) => i.kind === 'dose' && i.sessionId === 's1');
    expect(dose).toBeDefined();
    const takenAt = Date.parse(String(dose!.body.takenAt));
    // Dated when the screen opened (10:00), the 120 minutes and the peak BP check would run
    // 40 minutes early.
    expect(takenAt).toBe(Date.now());
  });

  it('lets a dose taken at 23:58 be confirmed at 00:03 (just after midnight)', async () => {
    jest.setSystemTime(new Date(2026, 11, 4, 23, 58, 0));
    render(<DoseForm sessionId="s2" gate={null} overridden={false} refused={null} />);
    expect(screen.getByLabelText('Time taken')).toHaveValue('23:58');
    // The field follows the clock until the patient types a time.
    act(() => jest.advanceTimersByTime(5 * 60_000));
    expect(screen.getByLabelText('Time taken')).toHaveValue('00:03');
    fireEvent.change(screen.getByLabelText('Time taken'), { target: { value: '23:58' } });
    await fillAndSendDose();
    // Read as today's 23:58 it would be later than now: the dose could only be recorded under a
    // wrong time.
    expect(screen.queryByText('That time is later than now.')).toBeNull();
    const dose = patientOutbox.getItems().find((i) => i.kind === 'dose' && i.sessionId === 's2');
    expect(dose?.body.takenAt).toBe(new Date(2026, 11, 4, 23, 58, 0).toISOString());
  });

  it('sends a time typed for the minute now as now, which the server accepts (not a time ahead of it)', async () => {
    // 14:05:30 on the phone (and on the server); the patient types 14:06.
    jest.setSystemTime(new Date(2026, 11, 4, 14, 5, 30));
    render(<DoseForm sessionId="s3" gate={null} overridden={false} refused={null} />);
    fireEvent.change(screen.getByLabelText('Time taken'), { target: { value: '14:06' } });
    await fillAndSendDose();
    const dose = patientOutbox.getItems().find((i) => i.kind === 'dose' && i.sessionId === 's3');
    expect(dose?.body.takenAt).toBe(new Date(2026, 11, 4, 14, 5, 30).toISOString());
    // The server's own rule (libs/clinical, used by POST /dose) refuses a takenAt after its clock.
    const result = transition(
      makeSnapshot({ state: 'ready' }),
      {
        type: 'confirm_dose',
        dose: { mg: 150, route: 'oral', takenAt: String(dose!.body.takenAt) },
      },
      new Date().toISOString(),
      DEFAULT_ORAL_PROTOCOL,
    );
    expect(result.ok).toBe(true);
  });

  it('refuses a time hours ahead, naming the field, and stores nothing', async () => {
    jest.setSystemTime(new Date(2026, 11, 4, 14, 5, 30));
    render(<DoseForm sessionId="s4" gate={null} overridden={false} refused={null} />);
    fireEvent.change(screen.getByLabelText('Time taken'), { target: { value: '17:00' } });
    await fillAndSendDose();
    expect(screen.getByText('That time is later than now.')).toBeInTheDocument();
    expect(patientOutbox.getItems().filter((i) => i.sessionId === 's4')).toEqual([]);
  });
});

describe('DoseForm after a refused dose, and while the patient is on the time field', () => {
  beforeEach(async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    fake.rows.clear();
    fake.answers.length = 0;
    localStorage.clear();
    patientOutbox.close();
    await patientOutbox.open('patient-1');
  });
  afterEach(() => jest.useRealTimers());

  it('keeps the time the dose was taken when the patient retries after "Not accepted"', async () => {
    // 10:40: the patient takes the dose and confirms it at once (the field follows the clock).
    jest.setSystemTime(new Date(2026, 11, 4, 10, 40, 0));
    const first = render(<DoseForm sessionId="s1" gate={null} overridden={false} refused={null} />);
    fake.answers.push({ kind: 'rejected', message: 'Check the lot number.' });
    await fillAndSendDose();
    const dose = patientOutbox.getItems().find((i) => i.kind === 'dose');
    expect(dose?.body.takenAt).toBe(new Date(2026, 11, 4, 10, 40, 0).toISOString());
    // While it was on its way the phone showed the monitoring screen (patientPhase: a pending
    // dose starts the clock); refused, PatientPage shows the dose form again, a new one.
    first.unmount();
    await act(() => patientOutbox.flush());
    expect(patientOutbox.getItems().find((i) => i.kind === 'dose')?.status).toBe('rejected');

    // 10:55: the patient reads "Not accepted", fixes what was refused and sends again.
    jest.setSystemTime(new Date(2026, 11, 4, 10, 55, 0));
    render(
      <DoseForm sessionId="s1" gate={null} overridden={false} refused="Check the lot number." />,
    );
    // The dose was taken at 10:40, and the phone knows it (the refused item's takenAt); the form
    // shows 10:55 and would date the dose 15 minutes late: the peak BP check 15 min after the peak.
    expect(screen.getByLabelText('Time taken')).toHaveValue('10:40');
  });
  it('does not change the value of the focused time field under the user (screen reader, picker open)', () => {
    jest.setSystemTime(new Date(2026, 11, 4, 10, 40, 50));
    render(<DoseForm sessionId="s1" gate={null} overridden={false} refused={null} />);
    const field = screen.getByLabelText('Time taken');
    // The user moves onto the field (a screen reader reads "Time taken, 10:40"; a phone opens its
    // time picker on it) and takes a moment.
    act(() => field.focus());
    expect(field).toHaveValue('10:40');
    act(() => jest.advanceTimersByTime(15_000));
    // WCAG 3.2.2 / 2.2.2: a control's value that changes by itself while it has focus; the picker
    // or the user's half-read value is replaced.
    expect(field).toHaveFocus();
    expect(field).toHaveValue('10:40');
  });
});

describe('takenAtFrom', () => {
  const now = new Date(2026, 11, 5, 0, 30, 20);
  const local = (d: number, h: number, m: number, s = 0) =>
    new Date(2026, 11, d, h, m, s).toISOString();
  it.each([
    ['00:10', { at: local(5, 0, 10) }], // earlier today
    ['00:30', { at: local(5, 0, 30) }], // this minute, its start
    ['00:31', { at: local(5, 0, 30, 20) }], // the next minute: the phone's minute, read as now
    ['23:58', { at: local(4, 23, 58) }], // before midnight, 32 min ago
    ['22:31', { at: local(4, 22, 31) }], // 1 h 59 min ago
    ['22:30', 'ahead'], // 2 h 0 min 20 s ago: too long for "yesterday"
    ['12:00', 'ahead'],
    ['7:00', null],
    ['', null],
  ])('%s at 00:30:20 -> %j', (typed, expected) => {
    expect(takenAtFrom(typed, now)).toEqual(expected);
  });
});

describe('takenAtFrom when the clocks go back (Europe/London, 2026-10-25)', () => {
  it('reads 01:05 typed at 01:10 GMT as 5 minutes ago, not 65 (01:05 BST)', () => {
    // The suite runs with TZ=UTC; the zone is a process setting, so a child process has it.
    const script = `const { takenAtFrom } = require('./apps/dashboard/src/patient/dose-time.ts');
      process.stdout.write(JSON.stringify([
        new Date('2026-07-01T12:00:00Z').getTimezoneOffset(),
        takenAtFrom('01:05', new Date('2026-10-25T01:10:00Z')),
        takenAtFrom('01:05', new Date('2026-10-25T00:10:00Z')),
      ]));`;
    const out = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-e', script],
      { env: { ...process.env, TZ: 'Europe/London' }, encoding: 'utf8', timeout: 60_000 },
    );
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual([
      -60, // the zone is in force: BST in July
      { at: '2026-10-25T01:05:00.000Z' }, // the second 01:05 (GMT), 5 min before 01:10 GMT
      { at: '2026-10-25T00:05:00.000Z' }, // at 01:10 BST only the first 01:05 (BST) has passed
    ]);
  });
});
