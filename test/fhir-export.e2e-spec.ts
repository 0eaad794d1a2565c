import type { Bundle, FhirResource, Observation } from 'fhir/r4';
import { ManualClock } from '../apps/api/src/common/clock';
import { VIGIL_SCALES } from '../apps/api/src/modules/fhir/fhir-codes';
import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { r4Errors } from './support/fhir-r4';
import { runSignedOffSession } from './support/supervisor-scenario';
import { createTestApp, type TestApp } from './support/test-app';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

function byType<K extends FhirResource['resourceType']>(
  bundle: Bundle,
  type: K,
): Array<Extract<FhirResource, { resourceType: K }>> {
  return (bundle.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is Extract<FhirResource, { resourceType: K }> => r?.resourceType === type);
}

const codes = (o: { code: { coding?: Array<{ system?: string; code?: string }> } }) =>
  (o.code.coding ?? []).map((c) => `${c.system}|${c.code}`);

/** Every `reference` anywhere in the bundle, to check each one resolves to an entry. */
function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else references(v, out);
    }
  }
  return out;
}

describe('FHIR R4 export of a session', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;
  let stranger: TestUser;
  let sessionId: string;
  let helpAlertId: string;
  const tok: Record<string, string> = {};
  let bundle: Bundle;

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-11-20T09:00:00.000Z')) });
    patient = await makeUser(t.dataSource, 'patient', 'Pat Fhir');
    clinician = await makeUser(t.dataSource, 'clinician', 'Dr Fhir');
    stranger = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient, new Date('2026-11-20T08:00:00.000Z'));
    for (const [k, u] of Object.entries({ patient, clinician, stranger })) {
      tok[k] = (await login(t.url, u)).accessToken;
    }
    sessionId = await makeSession(t.dataSource, {
      patient,
      clinician,
      state: 'scheduled',
      dosedAt: null,
    });
    ({ helpAlertId } = await runSignedOffSession(
      t,
      sessionId,
      tok as { patient: string; clinician: string },
    ));
    const res = await http<Bundle>(t.url, 'GET', `/api/sessions/${sessionId}/fhir`, {
      token: tok.clinician,
    });
    expect(res.status).toBe(200);
    bundle = res.body;
  });
  afterAll(() => t.close());

  it('answers as session reads do: the patient and the assigned clinician, 404 for others, audited', async () => {
    const res = await fetch(`${t.url}/api/sessions/${sessionId}/fhir`, {
      headers: { authorization: `Bearer ${tok.patient}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const denied = await http(t.url, 'GET', `/api/sessions/${sessionId}/fhir`, {
      token: tok.stranger,
    });
    expect(denied).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'session: not found' },
    });
    const rows = await t.dataSource.query(
      `SELECT actor_id, outcome FROM audit_events WHERE action = 'session.fhir.export' ORDER BY seq`,
    );
    expect(rows).toEqual([
      { actor_id: clinician.id, outcome: 'success' },
      { actor_id: patient.id, outcome: 'success' },
      { actor_id: stranger.id, outcome: 'denied' },
    ]);
  });

  it('gives a patient their record without staff account ids or network addresses', async () => {
    const res = await http<Bundle>(t.url, 'GET', `/api/sessions/${sessionId}/fhir`, {
      token: tok.patient,
    });
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(JSON.stringify(bundle)).toContain(clinician.id); // the clinician's export has both
    expect(JSON.stringify(bundle)).toContain('"network"');
    expect(text).not.toContain(clinician.id);
    expect(text).not.toContain('"network"');
    expect(text).not.toMatch(/127\.0\.0\.1|::1/);
    // The stranger's refused export (above) is in the trail by role, never by name.
    const refused = byType(res.body, 'AuditEvent').filter((a) => a.outcome === '4');
    expect(refused.map((a) => a.agent[0].who)).toEqual([{ display: 'clinician' }]);
    expect(text).not.toContain(stranger.name);
    // the clinician is still named, and every reference still resolves
    const practitioners = byType(res.body, 'Practitioner');
    expect(practitioners.map((p) => p.name?.[0].text)).toContain('Dr Fhir');
    const urls = new Set((res.body.entry ?? []).map((e) => e.fullUrl));
    for (const ref of text.match(/urn:uuid:[0-9a-f-]{36}/g) ?? []) expect(urls).toContain(ref);
  });

  it('is valid FHIR R4 (HL7 definitions, @medplum/core validator)', () => {
    expect(bundle.entry?.length).toBeGreaterThan(10);
    expect(r4Errors(bundle)).toEqual([]);
    // The validator is live: an Observation without its required code, a period that is not a
    // dateTime and a field R4 does not have are each named.
    const broken = structuredClone(bundle);
    const observation = byType(broken, 'Observation')[0] as Partial<Observation>;
    delete observation.code;
    const encounter = byType(broken, 'Encounter')[0] as unknown as Record<string, unknown>;
    encounter.period = { start: 'this morning' };
    encounter.colour = 'blue';
    const errors = r4Errors(broken).join('\n');
    expect(errors).toMatch(/entry\[\d+\]\.resource\.code: Missing required property/);
    expect(errors).toMatch(/period\.start: Invalid dateTime/);
    expect(errors).toMatch(/colour/);
  });

  it('is a collection Bundle whose every reference resolves to one of its entries', () => {
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const urls = new Set((bundle.entry ?? []).map((e) => e.fullUrl));
    for (const e of bundle.entry ?? []) expect(e.fullUrl).toBe(`urn:uuid:${e.resource?.id}`);
    expect(urls.size).toBe(bundle.entry?.length);
    const dangling = references(bundle).filter((r) => !urls.has(r));
    expect(dangling).toEqual([]);
  });

  it('has the session as a finished home-health Encounter', () => {
    const [encounter] = byType(bundle, 'Encounter');
    expect(encounter).toMatchObject({
      id: sessionId,
      status: 'finished',
      class: { code: 'HH' },
      subject: { reference: `urn:uuid:${patient.patientId}` },
    });
    expect(encounter.period?.start).toBeDefined();
    expect(encounter.period?.end).toBeDefined();
  });

  it('codes vitals with LOINC and UCUM: BP as a panel with systolic and diastolic, SpO2 with both codes', () => {
    const obs = byType(bundle, 'Observation');
    const bps = obs.filter((o) => codes(o).includes(`${LOINC}|85354-9`));
    expect(bps.map((o) => o.component?.map((c) => c.valueQuantity?.value))).toEqual(
      expect.arrayContaining([
        [148, 88],
        [170, 100],
        [128, 82],
      ]),
    );
    for (const bp of bps) {
      expect(bp.category?.[0].coding?.[0].code).toBe('vital-signs');
      expect(bp.component?.map((c) => c.code.coding?.[0].code)).toEqual(['8480-6', '8462-4']);
      for (const c of bp.component ?? []) {
        expect(c.valueQuantity).toMatchObject({ unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' });
      }
    }
    const spo2 = obs.find((o) => o.valueQuantity?.value === 95);
    expect(spo2 && codes(spo2)).toEqual([`${LOINC}|59408-5`, `${LOINC}|2708-6`]);
    expect(spo2?.valueQuantity).toMatchObject({ unit: '%', system: UCUM, code: '%' });
    const hr = obs.find(
      (o) => codes(o).includes(`${LOINC}|8867-4`) && o.valueQuantity?.value === 88,
    );
    expect(hr?.valueQuantity).toMatchObject({ unit: '/min', code: '/min' });
    const rr = obs.find((o) => codes(o).includes(`${LOINC}|9279-1`));
    expect(rr?.valueQuantity?.value).toBe(14);
  });

  it('has check-ins as QuestionnaireResponses with MOAA/S and dissociation scores in a local code system', () => {
    const qrs = byType(bundle, 'QuestionnaireResponse');
    const checkIn = qrs.find((q) =>
      q.item?.some((i) => i.linkId === 'moaas' && i.answer?.[0].valueInteger === 3),
    );
    expect(checkIn).toMatchObject({
      status: 'completed',
      author: { reference: `urn:uuid:${patient.patientId}` },
    });
    const obs = byType(bundle, 'Observation');
    const moaas = obs.find(
      (o) => codes(o).includes(`${VIGIL_SCALES}|moaas`) && o.valueInteger === 3,
    );
    expect(moaas?.derivedFrom).toEqual([{ reference: `urn:uuid:${checkIn?.id}` }]);
    expect(
      obs.some(
        (o) =>
          codes(o).includes(`${VIGIL_SCALES}|dissociation-self-rating`) && o.valueInteger === 4,
      ),
    ).toBe(true);
    const [system] = byType(bundle, 'CodeSystem');
    expect(system.url).toBe(VIGIL_SCALES);
    expect(system.concept?.map((c) => c.code)).toEqual(
      expect.arrayContaining(['moaas', 'dissociation-self-rating']),
    );
  });

  it('scores PHQ-9 (44261-6) and GAD-7 (70274-6) from the screening', () => {
    const obs = byType(bundle, 'Observation');
    const phq9 = obs.find((o) => codes(o).includes(`${LOINC}|44261-6`));
    const gad7 = obs.find((o) => codes(o).includes(`${LOINC}|70274-6`));
    expect(phq9?.valueQuantity).toEqual({
      value: 6,
      unit: '{score}',
      system: UCUM,
      code: '{score}',
    });
    expect(gad7?.valueQuantity?.value).toBe(6);
  });

  it('has alerts as Communications (category alert) and their acknowledgement as a completed Task', () => {
    const comms = byType(bundle, 'Communication');
    const help = comms.find((c) => c.id === helpAlertId);
    expect(help).toMatchObject({
      status: 'completed',
      priority: 'stat',
      category: [{ coding: [{ code: 'alert' }] }],
      encounter: { reference: `urn:uuid:${sessionId}` },
    });
    // A BP alert is about the BP panel that raised it (here the caution screening BP).
    const bpAlert = comms.find((c) => c.reasonCode?.[0].coding?.[0].code === 'predose_caution');
    const about = bpAlert?.about?.[0].reference;
    const target = (bundle.entry ?? []).find((e) => e.fullUrl === about)?.resource as Observation;
    expect(codes(target)).toContain(`${LOINC}|85354-9`);
    const tasks = byType(bundle, 'Task');
    const ack = tasks.find(
      (x) =>
        x.focus?.reference === `urn:uuid:${helpAlertId}` && x.code?.text === 'Acknowledge alert',
    );
    expect(ack).toMatchObject({
      status: 'completed',
      intent: 'order',
      owner: { reference: `urn:uuid:${clinician.id}` },
    });
    const seconds =
      (Date.parse(ack?.executionPeriod?.end ?? '') -
        Date.parse(ack?.executionPeriod?.start ?? '')) /
      1000;
    expect(seconds).toBe(30);
  });

  it('carries the access trail as AuditEvents', () => {
    const audits = byType(bundle, 'AuditEvent');
    const subtypes = audits.map((a) => a.subtype?.[0].code);
    expect(subtypes).toEqual(
      expect.arrayContaining(['session.dose', 'session.sign_off', 'session.alerts.read']),
    );
    const read = audits.find((a) => a.subtype?.[0].code === 'session.alerts.read');
    expect(read).toMatchObject({ action: 'R', outcome: '0', agent: [{ requestor: true }] });
  });
});
