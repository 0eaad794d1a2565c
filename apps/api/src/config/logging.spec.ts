import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACT_PATHS } from './logging';

describe('log redaction', () => {
  it('censors bodies, authorization headers, cookies, passwords and tokens wherever they are logged', () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    log.info({
      req: { headers: { authorization: 'Bearer eyJ.secret', cookie: 'sid=abc' } },
      body: { note: 'felt dizzy', value: 186 },
      login: { password: 'hunter2-hunter2', refreshToken: 'r-123' },
      session: { accessToken: 'a-456', token: 't-789' },
    });
    for (const secret of [
      'eyJ.secret',
      'sid=abc',
      'felt dizzy',
      '186',
      'hunter2',
      'r-123',
      'a-456',
      't-789',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });
});
