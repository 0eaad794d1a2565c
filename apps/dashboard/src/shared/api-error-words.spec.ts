import { apiErrorInWords } from './api-error-words';

describe('apiErrorInWords', () => {
  it.each([
    [
      409,
      'state: Cannot sign off while the session is monitoring.',
      'Cannot sign off while the session is monitoring.',
    ],
    [409, 'state: Begin recovery first', 'Begin recovery first.'],
    [
      403,
      'role: a patient may not do sign_off on this session',
      'You may not do this: a patient may not do sign_off on this session.',
    ],
    [400, 'reason: must not be empty', 'Please check reason: must not be empty'],
    [404, 'session: not found', 'Not found.'],
    [404, undefined, 'Not found: it may have been removed, or you may not see it.'],
    [0, undefined, 'Could not reach the server. Check the connection and try again.'],
    [
      502,
      undefined,
      'The server could not do this just now (error 502). Try again; if it keeps failing, tell support.',
    ],
    [429, 'rate_limited', 'Too many requests just now. Wait a few seconds and try again.'],
  ])('%i %j -> %j', (status, message, words) => {
    expect(apiErrorInWords(status, message)).toBe(words);
  });
});
