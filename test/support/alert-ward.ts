import {
  assign,
  http,
  login,
  makeSession,
  makeUser,
  type HttpResult,
  type TestUser,
} from './factories';
import { manual } from './clinical';
import { createTestApp, type TestApp } from './test-app';

/**
 * The set-up the alert e2e specs share: an app on the manual clock, one patient with an assigned
 * clinician, both logged in; sessions start in monitoring, dosed now.
 */
export interface AlertWard {
  t: TestApp;
  patient: TestUser;
  clinician: TestUser;
  token: { patient: string; clinician: string };
  /** A session in monitoring, dosed at the manual clock's now. */
  liveSession: () => Promise<string>;
  /** The clinician acts on an alert: acknowledge, resolve, silence. */
  act: (alertId: string, action: string, body?: unknown) => Promise<HttpResult>;
}

export async function openAlertWard(): Promise<AlertWard> {
  const t = await createTestApp();
  const patient = await makeUser(t.dataSource, 'patient');
  const clinician = await makeUser(t.dataSource, 'clinician');
  await assign(t.dataSource, clinician, patient);
  const token = {
    patient: (await login(t.url, patient)).accessToken,
    clinician: (await login(t.url, clinician)).accessToken,
  };
  return {
    t,
    patient,
    clinician,
    token,
    liveSession: () =>
      makeSession(t.dataSource, {
        patient,
        clinician,
        state: 'monitoring',
        dosedAt: manual(t).now(),
      }),
    act: (alertId, action, body) =>
      http(t.url, 'POST', `/api/alerts/${alertId}/${action}`, { token: token.clinician, body }),
  };
}
