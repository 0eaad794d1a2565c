/**
 * The dose time from a phone whose clock is off. The server judges `takenAt` by its own clock
 * (docs/API.md: not after its now, a minute's grace) and counts the 120 minutes, the peak BP check
 * and the first overdue check-in from it (CLINICAL.md step 3), so the phone sends it on the server's
 * clock, as it estimates it from the API's `Date` headers; the patient still reads and types the
 * time by the phone's own clock.
 */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { DEFAULT_ORAL_PROTOCOL, transition } from '@vigil/clinical';
import { patientOutbox } from './outbox/patient-outbox';
import { fakeOf } from './test-support/fake-outbox';
import { fillAndSendDose } from './test-support/dose-form';
import { MIN, SERVER_NOW, setPhoneClock } from './test-support/phone-clock';
import { DoseForm } from './components/DoseForm';
import { makeSnapshot } from '../../../../libs/clinical/src/testing/factories';

jest.mock('./outbox/patient-outbox', () =>
  jest
    .requireActual<typeof import('./test-support/fake-outbox')>('./test-support/fake-outbox')
    .patientOutboxModule(),
);
const fake = fakeOf(patientOutbox);

const sentTakenAt = () =>
  String(patientOutbox.getItems().findLast((i) => i.kind === 'dose')?.body.takenAt);

/** What POST /dose does with it: the clinical rule, judged at the server's now. */
const serverAccepts = (takenAt: string) =>
  transition(
    makeSnapshot({ state: 'ready' }),
    { type: 'confirm_dose', dose: { mg: 150, route: 'oral', takenAt } },
    new Date(SERVER_NOW).toISOString(),
    DEFAULT_ORAL_PROTOCOL,
  ).ok;

beforeEach(async () => {
  jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
  fake.rows.clear();
  fake.answers.length = 0;
  patientOutbox.close();
  await patientOutbox.open('patient-1');
});
afterEach(() => jest.useRealTimers());

describe('the dose confirmed at once on a phone whose clock is off', () => {
  it.each([
    // The server refused it (a time ahead, "not taken yet"), finally: the dose the patient had
    // swallowed could not be recorded at all.
    ['10 min fast', 10 * MIN],
    // Stored 10 minutes early: the 120 minutes ended and the peak BP check came 10 minutes early.
    ['10 min slow', -10 * MIN],
  ])('%s: is sent at the server time it was taken, and the server accepts it', async (_, skew) => {
    setPhoneClock(skew);
    render(<DoseForm sessionId="s1" gate={null} overridden={false} refused={null} />);
    // The field shows the phone's own clock, the time the patient sees on it.
    expect(screen.getByLabelText('Time taken')).toHaveValue(skew > 0 ? '10:10' : '09:50');
    await fillAndSendDose();
    expect(sentTakenAt()).toBe(new Date(SERVER_NOW).toISOString());
    expect(serverAccepts(sentTakenAt())).toBe(true);
  });
});

describe('a dose time typed by the phone clock', () => {
  it('is read by the clock the patient read it from, then sent on the server clock', async () => {
    // The phone says 10:10, 10 min fast; the patient took the dose 5 minutes ago by it.
    setPhoneClock(10 * MIN);
    render(<DoseForm sessionId="s1" gate={null} overridden={false} refused={null} />);
    fireEvent.change(screen.getByLabelText('Time taken'), { target: { value: '10:05' } });
    await fillAndSendDose();
    expect(screen.queryByText('That time is later than now.')).toBeNull();
    expect(sentTakenAt()).toBe('2026-12-04T09:55:00.000Z');
    expect(serverAccepts(sentTakenAt())).toBe(true);
  });

  it('after "Not accepted", opens on the time the patient confirmed and sends the same minute again', async () => {
    setPhoneClock(10 * MIN);
    const first = render(<DoseForm sessionId="s1" gate={null} overridden={false} refused={null} />);
    fake.answers.push({ kind: 'rejected', message: 'Check the lot number.' });
    await fillAndSendDose();
    expect(sentTakenAt()).toBe(new Date(SERVER_NOW).toISOString());
    first.unmount();
    await act(() => patientOutbox.flush());

    // 15 minutes later the patient fixes what was refused and sends again.
    setPhoneClock(10 * MIN, SERVER_NOW + 15 * MIN);
    render(
      <DoseForm sessionId="s1" gate={null} overridden={false} refused="Check the lot number." />,
    );
    // 10:10 is what the phone's clock said when it was confirmed; shown as the server's 10:00 it
    // would be read back by the phone's clock and sent 10 minutes earlier each time.
    expect(screen.getByLabelText('Time taken')).toHaveValue('10:10');
    await fillAndSendDose();
    expect(sentTakenAt()).toBe('2026-12-04T10:00:00.000Z');
  });
});
