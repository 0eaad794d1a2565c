import type { TestApp } from './test-app';
import { eventsOf } from './clinical';
import { pairDevice } from './devices';
import { assign, login, makeSession, makeUser, type TestUser } from './factories';
import { createTestApp } from './test-app';

export interface StoredReading {
  kind: string;
  value: number;
  measuredAt: string;
  source?: string;
}

export interface FhirIngestFixture {
  t: TestApp;
  patient: TestUser;
  other: TestUser;
  clinician: TestUser;
  sessionId: string;
  otherSessionId: string;
  clinicianToken: string;
  hub: { id: string; credential: string };
}

/** One app; two patients of one clinician, each with a live session; a hub paired to the first. */
export async function setupFhirIngest(env?: Record<string, string>): Promise<FhirIngestFixture> {
  const t = await createTestApp({ env });
  const patient = await makeUser(t.dataSource, 'patient');
  const other = await makeUser(t.dataSource, 'patient');
  const clinician = await makeUser(t.dataSource, 'clinician');
  await assign(t.dataSource, clinician, patient);
  await assign(t.dataSource, clinician, other);
  const sessionId = await makeSession(t.dataSource, { patient, clinician });
  const otherSessionId = await makeSession(t.dataSource, { patient: other, clinician });
  const clinicianToken = (await login(t.url, clinician)).accessToken;
  const paired = await pairDevice(t.url, clinicianToken, patient, 'hub');
  const hub = { id: paired.device.id, credential: paired.credential };
  return { t, patient, other, clinician, sessionId, otherSessionId, clinicianToken, hub };
}

/** The readings stored in a session's vitals events. */
export async function storedReadings(t: TestApp, sessionId: string): Promise<StoredReading[]> {
  return (await eventsOf(t.dataSource, sessionId, 'vitals.recorded')).flatMap(
    (e) => e.data.readings as StoredReading[],
  );
}

export async function headSeq(t: TestApp, sessionId: string): Promise<number> {
  return Number(
    (await t.dataSource.query(`SELECT head_seq FROM sessions WHERE id = $1`, [sessionId]))[0]
      .head_seq,
  );
}
