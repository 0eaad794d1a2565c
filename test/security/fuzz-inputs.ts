import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { connectError, type LiveClient } from '../support/live-client';
import { TEST_SECRET } from '../support/test-secret';
import { FUZZ_RUNS } from './security-report';

/** The fuzz suite's callers, inputs and helpers (test/security/fuzz.e2e-spec.ts). */
export type Actor =
  'anonymous' | 'patientA' | 'patientB' | 'clinicianA' | 'clinicianB' | 'supervisor';
export const ACTORS: Actor[] = [
  'anonymous',
  'patientA',
  'patientB',
  'clinicianA',
  'clinicianB',
  'supervisor',
];
/** Who may see patient B's data; everyone else seeing a trace of it is a leak. */
export const MAY_SEE_B = new Set<Actor>(['patientB', 'clinicianB', 'supervisor']);
export const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
export const CONCURRENCY = 8;

/** Values that broke inputs before (issue 13) or break parsers in general, mixed into the fuzz. */
export const NASTY = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00Z',
  '../../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '-1',
  'NaN',
  '1e309',
  '00000000-0000-0000-0000-000000000000',
  'A'.repeat(70_000),
];
export const FIELDS = [
  'clientId',
  'moaas',
  'dissociation',
  'nausea',
  'anxiety',
  'symptoms',
  'note',
  'takenAt',
  'readings',
  'kind',
  'value',
  'measuredAt',
  'source',
  'email',
  'password',
  'refreshToken',
  'sessionId',
  'afterSeq',
  'sessions',
  'patientId',
  'clinicianId',
  'name',
  'role',
  'reason',
  'action',
  'to',
  'priority',
  'text',
  'body',
  'answers',
  'decision',
  'limits',
  'validFrom',
  'scheduledFor',
  'protocolId',
  'serial',
  'code',
  '__proto__',
  'constructor',
];

/**
 * Values of any shape, the nasty ones included. Over the socket the 70 KB string is left out:
 * the 64 KB message cap (vigil-io.adapter) disconnects the sender by design, checked on its own.
 */
export const weirdOf = (nasty: string[]): fc.Arbitrary<unknown> =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom(...nasty),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.uuid(),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...FIELDS), tie('value'), { maxKeys: 4 }),
    ),
  })).value;
export const weird = weirdOf(NASTY);
export const weirdSmall = weirdOf(NASTY.filter((n) => n.length < 1000));
/** Generous: the full run sends 10,000 payloads per input on a shared machine. */
export const LONG = Math.max(120_000, FUZZ_RUNS * 60 * 60);
export const body: fc.Arbitrary<{ json?: unknown; raw?: string }> = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), weird, { maxKeys: 6 }).map((json) => ({ json })),
  fc.jsonValue().map((json) => ({ json })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((raw) => ({ raw })),
);
export const param = (a: string, b: string) =>
  fc.oneof(
    fc.constantFrom(a, b, a.toUpperCase()),
    fc.uuid(),
    fc.string({ maxLength: 40 }),
    fc.constantFrom(...NASTY.filter((n) => n.length < 1000)),
  );

/** 'connected' if the handshake succeeds within 5 s; refused (an error, or hung up) otherwise. */
export function outcomeOf(socket: LiveClient): Promise<'connected' | 'refused'> {
  return Promise.race([
    connectError(socket).then(
      () => 'refused' as const,
      () => 'connected' as const,
    ),
    new Promise<'refused'>((r) => setTimeout(() => r('refused'), 5000)),
  ]);
}

/** A path segment; a lone surrogate cannot be UTF-8, so it goes as the bytes a client might send. */
export function segment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

export async function pool<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

export function jwt(
  payload: object,
  secret = TEST_SECRET,
  header: object = { alg: 'HS256', typ: 'JWT' },
) {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${b64(header)}.${b64(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
