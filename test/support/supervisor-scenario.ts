import { http } from './factories';
import { flow, manual, MINUTE, settle } from './clinical';
import type { TestApp } from './test-app';

export interface SignedOffSession {
  sessionId: string;
  dosedAt: Date;
  helpAlertId: string;
}

/**
 * A complete session the way phones and clinicians drive it: a caution screening with PHQ-9 and
 * GAD-7 and a BP-raising medicine, the dose, sedation and dissociation, a help request
 * acknowledged after 30 s, a peak BP at 45 min, an end override with a reason and the sign-off.
 */
export async function runSignedOffSession(
  t: TestApp,
  sessionId: string,
  tokens: { patient: string; clinician: string },
): Promise<SignedOffSession> {
  const asPatient = flow(t, tokens.patient, sessionId);
  const asClinician = flow(t, tokens.clinician, sessionId);
  const clock = manual(t);
  await asPatient.transition('start_screening');
  const screened = await asPatient.screening({
    sbp: 148,
    dbp: 88,
    concomitantBpRaisingMeds: true,
    phq9: [1, 1, 2, 0, 1, 0, 1, 0, 0],
    gad7: [2, 1, 1, 0, 1, 0, 1],
    moaasBaseline: 5,
  });
  if (screened.body.state !== 'ready')
    throw new Error(`screening: ${JSON.stringify(screened.body)}`);
  const dosedAt = clock.now();
  await asPatient.dose(dosedAt);
  await asPatient.transition('start_monitoring');

  clock.advance(10 * MINUTE);
  await asPatient.checkIn({ moaas: 3, dissociation: 4, nausea: 2, note: 'floaty' });
  await asPatient.vitals(clock.now(), [
    ['heart_rate', 88],
    ['spo2', 95],
    ['resp_rate', 14],
  ]);
  await asPatient.help();
  await settle(t);
  const alerts = await http(t.url, 'GET', `/api/sessions/${sessionId}/alerts`, {
    token: tokens.clinician,
  });
  const help = (alerts.body as Array<{ id: string; condition: string }>).find(
    (a) => a.condition === 'help',
  );
  if (!help) throw new Error('no help alert');
  clock.advance(30_000);
  await http(t.url, 'POST', `/api/alerts/${help.id}/acknowledge`, {
    token: tokens.clinician,
    body: {},
  });

  clock.set(new Date(dosedAt.getTime() + 45 * MINUTE));
  await asPatient.vitals(clock.now(), [
    ['bp_systolic', 170],
    ['bp_diastolic', 100],
  ]);
  await settle(t);

  clock.set(new Date(dosedAt.getTime() + 130 * MINUTE));
  await asPatient.vitals(clock.now(), [
    ['bp_systolic', 128],
    ['bp_diastolic', 82],
  ]);
  await asPatient.checkIn({ moaas: 5, dissociation: 0 });
  await asClinician.transition('begin_recovery');
  await asClinician.override('end', 'Reviewed by phone with the support person');
  const ended = await asClinician.transition('sign_off');
  if (ended.body.state !== 'ended') throw new Error(`sign-off: ${JSON.stringify(ended.body)}`);
  await settle(t);
  return { sessionId, dosedAt, helpAlertId: help.id };
}

export async function runAbortedSession(
  t: TestApp,
  sessionId: string,
  tokens: { patient: string; clinician: string },
): Promise<void> {
  await flow(t, tokens.patient, sessionId).transition('start_screening');
  await flow(t, tokens.clinician, sessionId).transition('abort', 'Patient declined');
}
