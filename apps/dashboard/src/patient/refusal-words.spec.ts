import { refusalInWords } from './refusal-words';

const CLOCK =
  "This phone's clock is wrong: check its date and time in the phone's settings, then send it again.";

describe('refusalInWords', () => {
  it.each([
    // REST (apiErrorInWords) and socket wordings of the server's clock check (refuseFuture)
    [
      'Please check takenAt: 2026-12-02T10:02:00.000Z is more than a minute ahead of the server clock (2026-12-02T10:00:00.000Z)',
      CLOCK,
    ],
    [
      'readings[0].measuredAt: 2026-12-02T10:02:00.000Z is more than a minute ahead of the server clock (2026-12-02T10:00:00.000Z)',
      CLOCK,
    ],
    [
      'Please check moaas: must be at most 5',
      'Please check the first question (saying the name), then send it again.',
    ],
    [
      'readings[1].value: bp_systolic 400 is outside the plausible range 40-300 mmHg',
      'Please check the blood pressure, then send it again.',
    ],
    ['Please check text: must not be empty', 'Please check your message, then send it again.'],
    [
      'Please check clientId: must be 8-64 characters',
      'Please check the answers, then send them again.',
    ],
    // 409 over the socket keeps the field; over REST apiErrorInWords has taken it off already
    [
      'state: the session is ended; nothing more can be sent to it',
      'The session is ended; nothing more can be sent to it.',
    ],
    [
      'The session is aborted and nobody is watching it; call your care team, or emergency services.',
      'The session is aborted and nobody is watching it; call your care team, or emergency services.',
    ],
    [undefined, 'Please call your care team.'],
  ])('%s', (server, words) => {
    expect(refusalInWords(server)).toBe(words);
  });
});
