import type { Browser } from 'playwright-core';
import { systemClock } from '../../../apps/api/src/common/clock';
import { ensureDashboardBuilt, launchBrowser } from '../../support/browser';
import { assign, http, login, makeSession, makeUser, type TestUser } from '../../support/factories';
import { createTestApp, type TestApp } from '../../support/test-app';

/** The demo seed's password for clinician@, supervisor@ and patient1@vigil.demo. */
export const DEMO_PASSWORD = 'vigil-demo';

export interface DemoApp {
  t: TestApp;
  browser: Browser;
  /** patient1's live session, seeded by demo mode. */
  sessionId: string;
  patientToken: string;
  clinicianToken: string;
  /** clinician@vigil.demo, patient1's clinician. */
  clinician: TestUser;
}

/**
 * The API in demo mode serving the built dashboard, on the wall clock (ages, the session clock and
 * check-in times are read in the browser, so the server shares its clock), with patient1's live
 * session and a Chromium to open it in. `rebuild` builds the dashboard even when a build exists;
 * `env` adds settings (e.g. CARE_TEAM_PHONE); `databaseUrl` a database of the caller's (its own
 * otherwise).
 */
export async function startDemoApp({
  rebuild = false,
  env = {},
  databaseUrl,
}: {
  rebuild?: boolean;
  env?: Record<string, string>;
  databaseUrl?: string;
} = {}): Promise<DemoApp> {
  if (rebuild) process.env.REBUILD_DASHBOARD = '1';
  const dist = ensureDashboardBuilt();
  const t = await createTestApp({
    env: { ...env, VIGIL_MODE: 'demo', DASHBOARD_DIST: dist },
    clock: systemClock,
    databaseUrl,
  });
  const patientToken = (await login(t.url, { email: 'patient1@vigil.demo' }, DEMO_PASSWORD))
    .accessToken;
  const clinicianToken = (await login(t.url, { email: 'clinician@vigil.demo' }, DEMO_PASSWORD))
    .accessToken;
  const session = (await http(t.url, 'GET', '/api/sessions?state=live', { token: patientToken }))
    .body[0];
  const clinician: TestUser = {
    id: session.clinician.id,
    email: 'clinician@vigil.demo',
    role: 'clinician',
    name: session.clinician.name,
  };
  const browser = await launchBrowser();
  return { t, browser, sessionId: session.id, patientToken, clinicianToken, clinician };
}

/** A new patient of the demo's clinician with a session scheduled (screening comes next). */
export async function scheduledPatient(
  { t, clinician }: DemoApp,
  name: string,
): Promise<{ patient: TestUser; sessionId: string }> {
  const patient = await makeUser(t.dataSource, 'patient', name);
  await assign(t.dataSource, clinician, patient);
  const sessionId = await makeSession(t.dataSource, {
    patient,
    clinician,
    state: 'scheduled',
    dosedAt: null,
  });
  return { patient, sessionId };
}
