import { createHmac } from 'node:crypto';
import type { SessionEvent } from '@vigil/contracts';
import { assign, login, makeSession, makeUser } from './factories';
import { createTestApp } from './test-app';

export const at = '2026-11-26T10:00:00.000Z';

export function forge(header: object, payload: object, secret: string | null): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${b64(header)}.${b64(payload)}`;
  return `${unsigned}.${secret === null ? '' : createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export function expectGapless(events: SessionEvent[], from: number, to: number) {
  expect(events.map((e) => e.seq)).toEqual(
    Array.from({ length: to - from + 1 }, (_, i) => from + i),
  );
}

/** One app, one patient with a monitoring session, the assigned clinician, a stranger, a supervisor. */
export async function setupLive(env?: Record<string, string>) {
  const t = await createTestApp({ env });
  const patient = await makeUser(t.dataSource, 'patient');
  const clinician = await makeUser(t.dataSource, 'clinician');
  const stranger = await makeUser(t.dataSource, 'clinician');
  const supervisor = await makeUser(t.dataSource, 'supervisor');
  await assign(t.dataSource, clinician, patient);
  const sessionId = await makeSession(t.dataSource, { patient, clinician });
  const tokens = {
    patient: (await login(t.url, patient)).accessToken,
    clinician: (await login(t.url, clinician)).accessToken,
    stranger: (await login(t.url, stranger)).accessToken,
    supervisor: (await login(t.url, supervisor)).accessToken,
  };
  return { t, patient, clinician, stranger, supervisor, sessionId, tokens };
}
