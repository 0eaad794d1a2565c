/**
 * Whether an error says the database could not be reached or dropped the connection (a restart,
 * a failover, a network cut), as opposed to a bug or a refused statement. Such a request stored
 * nothing and may be sent again with the same clientId: it is answered 503 / `unavailable`, as
 * an overload or a shutdown is, not 500 / `internal` (logged as a fault, and a device that does
 * not retry a 500 would drop it). Node's socket codes, PostgreSQL's connection-exception (08) and
 * operator-intervention (57P) classes, and node-postgres's own wording, which carries no code.
 * Written here because neither pg nor TypeORM exports such a test.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

export const DATABASE_UNAVAILABLE_MESSAGE =
  'database: unavailable, nothing was stored; retry with the same clientId';

export function isDatabaseUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 3; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || /^(08|57P)/.test(code)))
      return true;
    if (typeof message === 'string' && PG_MESSAGES.some((m) => message.startsWith(m))) return true;
    // TypeORM's QueryFailedError keeps the driver's error.
    e = (e as { driverError?: unknown }).driverError;
  }
  return false;
}
