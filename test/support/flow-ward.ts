import { assign, login, makeSession, makeUser, type TestUser } from './factories';
import { createTestApp, type TestApp } from './test-app';

/**
 * The set-up the session-flow e2e specs share: an app on the manual clock, a patient with an
 * assigned clinician, a clinician who is not assigned (`stranger`) and a supervisor, each logged
 * in (`tokens`: patient, clinician, clinician2 for the stranger, supervisor); sessions start
 * scheduled, not dosed.
 */
export interface FlowWard {
  t: TestApp;
  patient: TestUser;
  clinician: TestUser;
  stranger: TestUser;
  supervisor: TestUser;
  tokens: Record<string, string>;
  newSession: () => Promise<string>;
}

export async function openFlowWard(): Promise<FlowWard> {
  const t = await createTestApp();
  const patient = await makeUser(t.dataSource, 'patient');
  const clinician = await makeUser(t.dataSource, 'clinician');
  const stranger = await makeUser(t.dataSource, 'clinician');
  const supervisor = await makeUser(t.dataSource, 'supervisor');
  // From 3 h before now: the happy path runs its clock from 125 min before the database's now.
  await assign(t.dataSource, clinician, patient, new Date(Date.now() - 3 * 3600_000));
  const tokens: Record<string, string> = {};
  for (const u of [patient, clinician, stranger, supervisor]) {
    tokens[u.role + (u === stranger ? '2' : '')] = (await login(t.url, u)).accessToken;
  }
  const newSession = () =>
    makeSession(t.dataSource, { patient, clinician, state: 'scheduled', dosedAt: null });
  return { t, patient, clinician, stranger, supervisor, tokens, newSession };
}
