import { alertsOf, eventsOf, manual, settle } from './support/clinical';
import { bpPanel, bundle, observation, pairDevice, postFhir } from './support/devices';
import { assign, auditRows, http, makeSession, makeUser, type TestUser } from './support/factories';
import { headSeq, setupFhirIngest, storedReadings } from './support/fhir-fixture';
import { r4Errors } from './support/fhir-r4';
import type { TestApp } from './support/test-app';

describe('FHIR R4 ingest from paired devices: what is stored (POST /api/fhir/Observation and /api/fhir)', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;
  let sessionId: string;
  let clinicianToken: string;
  let hub: { id: string; credential: string };

  const readings = (id = sessionId) => storedReadings(t, id);
  const head = (id = sessionId) => headSeq(t, id);

  beforeAll(async () => {
    ({ t, patient, clinician, sessionId, clinicianToken, hub } = await setupFhirIngest());
  });
  // Readings are dated by the wall clock; keep the app's manual clock with it (a reading more
  // than a minute ahead of the server's clock is refused).
  beforeEach(() => manual(t).set(new Date()));
  afterAll(() => t.close());

  it('stores an Observation as a device reading in the live session: 201, then 200 for its retry', async () => {
    const obs = observation('8867-4', 71, '/min', { device: { reference: `Device/${hub.id}` } });
    const first = await postFhir(t.url, hub.credential, '/api/fhir/Observation', obs);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ resourceType: 'Observation', id: expect.any(String) });
    const events = await eventsOf(t.dataSource, sessionId, 'vitals.recorded');
    expect(events).toHaveLength(1);
    expect(events[0].data).toEqual({
      readings: [
        { kind: 'heart_rate', value: 71, measuredAt: expect.any(String), source: 'device' },
      ],
      device: { id: hub.id, kind: 'hub', manufacturer: 'Acme', model: 'hub-1', via: 'fhir' },
    });
    const again = await postFhir(t.url, hub.credential, '/api/fhir/Observation', obs);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await eventsOf(t.dataSource, sessionId, 'vitals.recorded')).toHaveLength(1);
    // Every use is audited with the device as the actor, in the event's own transaction.
    expect(
      await auditRows(t.dataSource, { action: 'device.vitals.submit', actorId: hub.id }),
    ).toMatchObject([
      {
        outcome: 'success',
        actor_role: 'device',
        patient_id: patient.patientId,
        entity_id: sessionId,
      },
      { outcome: 'success', detail: expect.objectContaining({ result: 'duplicate' }) },
    ]);
    const [device] = await t.dataSource.query(`SELECT last_seen_at FROM devices WHERE id = $1`, [
      hub.id,
    ]);
    expect(device.last_seen_at).not.toBeNull();
  });

  it('stores a batch Bundle of 10 observations once; the retried bundle stores nothing new', async () => {
    const before = await head();
    const resources = [
      observation('8867-4', 72, '/min'),
      observation('9279-1', 15, '/min'),
      observation('59408-5', 97, '%'),
      observation('2708-6', 96, '%'),
      observation(['59408-5', '2708-6'], 95, '%'),
      observation('8310-5', 36.9, 'Cel'),
      bpPanel(128, 82),
      observation('8480-6', 127, 'mm[Hg]'),
      observation('8462-4', 81, 'mm[Hg]'),
      observation('8867-4', 74, '/min'),
    ];
    const batch = bundle('batch', resources);
    const res = await postFhir(t.url, hub.credential, '/api/fhir', batch);
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('batch-response');
    expect(res.body.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(
      Array(10).fill('201 Created'),
    );
    expect(await head()).toBe(before + 10);

    // Every LOINC code of CLINICAL.md lands as its reading kind.
    const stored = (await readings()).slice(-11);
    expect(stored.map((r) => [r.kind, r.value])).toEqual([
      ['heart_rate', 72],
      ['resp_rate', 15],
      ['spo2', 97],
      ['spo2', 96],
      ['spo2', 95],
      ['temperature', 36.9],
      ['bp_systolic', 128],
      ['bp_diastolic', 82],
      ['bp_systolic', 127],
      ['bp_diastolic', 81],
      ['heart_rate', 74],
    ]);
    expect(stored.every((r) => r.source === 'device')).toBe(true);

    const retry = await postFhir(t.url, hub.credential, '/api/fhir', batch);
    expect(retry.status).toBe(200);
    expect(
      retry.body.entry.map((e: { response: { status: string } }) => e.response.status),
    ).toEqual(Array(10).fill('200 OK'));
    expect(
      retry.body.entry.map((e: { response: { location: string } }) => e.response.location),
    ).toEqual(res.body.entry.map((e: { response: { location: string } }) => e.response.location));
    expect(await head()).toBe(before + 10);
  });

  it('converts units where UCUM allows (kPa to mm[Hg], [degF] to Cel, /s to /min)', async () => {
    const res = await postFhir(
      t.url,
      hub.credential,
      '/api/fhir',
      bundle('transaction', [
        bpPanel(16, 10.7, 'kPa'),
        observation('8310-5', 100.4, '[degF]'),
        observation('8867-4', 1.5, '/s'),
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    expect((await readings()).slice(-4).map((r) => [r.kind, r.value])).toEqual([
      ['bp_systolic', 120.01],
      ['bp_diastolic', 80.26],
      ['temperature', 38],
      ['heart_rate', 90],
    ]);
  });

  it('a transaction with one bad entry stores nothing and names the entry', async () => {
    const before = await head();
    const res = await postFhir(
      t.url,
      hub.credential,
      '/api/fhir',
      bundle('transaction', [observation('8867-4', 70, '/min'), observation('8867-4', 70, 'mmHg')]),
    );
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].expression).toEqual(['Bundle.entry[1].resource.valueQuantity.code']);
    expect(await head()).toBe(before);
  });

  it('a batch stores its good entries and answers each bad one with its own OperationOutcome', async () => {
    const before = await head();
    const res = await postFhir(
      t.url,
      hub.credential,
      '/api/fhir',
      bundle('batch', [observation('8867-4', 70, '/min'), { resourceType: 'Patient' }]),
    );
    expect(res.status).toBe(200);
    expect(res.body.entry[0].response.status).toBe('201 Created');
    expect(res.body.entry[1].response).toMatchObject({
      status: '400 Bad Request',
      outcome: {
        resourceType: 'OperationOutcome',
        issue: [{ expression: ['Bundle.entry[1].resource.resourceType'] }],
      },
    });
    expect(await head()).toBe(before + 1);
  });

  it('a reused identifier with another value is a conflict (409), nothing stored', async () => {
    const obs = observation('8867-4', 80, '/min');
    expect((await postFhir(t.url, hub.credential, '/api/fhir/Observation', obs)).status).toBe(201);
    const changed = { ...obs, valueQuantity: { ...obs.valueQuantity, value: 81 } };
    const res = await postFhir(t.url, hub.credential, '/api/fhir/Observation', changed);
    expect(res.status).toBe(409);
    expect(res.body.issue[0].expression).toEqual(['Observation.identifier']);
  });

  it('readings reach the alert engine: a cuff BP of 190/112 raises its alerts', async () => {
    const fresh = await makeUser(t.dataSource, 'patient');
    await assign(t.dataSource, clinician, fresh);
    const freshSession = await makeSession(t.dataSource, { patient: fresh, clinician });
    const cuff = await pairDevice(t.url, clinicianToken, fresh, 'bp_cuff');
    // The engine judges a reading at no later than its own (manual) clock: bring it to now.
    manual(t).set(new Date(Date.now() + 2000));
    const res = await postFhir(t.url, cuff.credential, '/api/fhir/Observation', bpPanel(190, 112));
    expect(res.status).toBe(201);
    await settle(t);
    const conditions = (await alertsOf(t.dataSource, freshSession)).map((a) => a.condition);
    expect(conditions).toEqual(expect.arrayContaining(['sbp_high', 'dbp_high']));
  });

  it("the session's FHIR export names the device behind each reading, with the ids ingest answered", async () => {
    const posted = await postFhir(
      t.url,
      hub.credential,
      '/api/fhir/Observation',
      observation('59408-5', 94, '%'),
    );
    expect(posted.status).toBe(201);
    const exported = await http(t.url, 'GET', `/api/sessions/${sessionId}/fhir`, {
      token: clinicianToken,
    });
    expect(exported.status).toBe(200);
    const resources = (
      exported.body.entry as Array<{
        fullUrl: string;
        resource: { resourceType: string; id: string } & Record<string, unknown>;
      }>
    ).map((e) => e.resource);
    const devices = resources.filter((r) => r.resourceType === 'Device');
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({
      identifier: [{ value: hub.id }],
      manufacturer: 'Acme',
      type: { coding: [{ code: 'hub' }] },
    });
    const obs = resources.find((r) => r.id === posted.body.id);
    expect(obs).toMatchObject({
      resourceType: 'Observation',
      device: { reference: `urn:uuid:${devices[0].id}` },
      valueQuantity: { value: 94, code: '%' },
    });
  });

  it('answers valid FHIR R4 (@medplum/core): stored Observations, batch responses, every OperationOutcome', async () => {
    const answers: Array<{ what: string; status: number; body: unknown }> = [];
    const send = async (
      what: string,
      path: '/api/fhir' | '/api/fhir/Observation',
      body: unknown,
      credential = hub.credential,
    ) => {
      const res = await postFhir(t.url, credential, path, body);
      answers.push({ what, status: res.status, body: res.body });
    };
    const hr = observation('8867-4', 70, '/min');
    await send('bad credential', '/api/fhir/Observation', hr, 'vgd_nobody_secret');
    await send('heart rate', '/api/fhir/Observation', observation('8867-4', 71, '/min'));
    await send('BP panel', '/api/fhir/Observation', bpPanel(128, 82));
    const repeated = observation('59408-5', 97, '%');
    await send('retry', '/api/fhir/Observation', repeated);
    await send('retry', '/api/fhir/Observation', repeated);
    await send('conflict', '/api/fhir/Observation', {
      ...repeated,
      valueQuantity: { ...repeated.valueQuantity, value: 91 },
    });
    await send(
      'batch',
      '/api/fhir',
      bundle('batch', [
        observation('8867-4', 72, '/min'),
        { resourceType: 'Patient' },
        observation('8867-4', 70, 'mmHg'),
      ]),
    );
    await send(
      'transaction',
      '/api/fhir',
      bundle('transaction', [observation('8867-4', 73, '/min'), observation('8867-4', 70, 'mmHg')]),
    );
    await send('no code', '/api/fhir/Observation', { resourceType: 'Observation' });
    await send('bad JSON', '/api/fhir/Observation', '{"resourceType":');
    await send('bundle as Observation', '/api/fhir/Observation', bundle('batch', []));
    await send('searchset', '/api/fhir', { resourceType: 'Bundle', type: 'searchset' });
    // Every request before any validation: loading the R4 definitions takes seconds, longer than
    // the server keeps an idle connection open for the next request.
    const exported = await http(t.url, 'GET', `/api/sessions/${sessionId}/fhir`, {
      token: clinicianToken,
    });
    expect(exported.status).toBe(200);

    const outcomes = answers.filter(
      (a) => (a.body as { resourceType?: string } | null)?.resourceType === 'OperationOutcome',
    );
    expect(outcomes.map((a) => a.status)).toEqual([401, 409, 400, 400, 400, 400, 400]);
    expect(
      answers.map((a) => ({ what: a.what, status: a.status, errors: r4Errors(a.body) })),
    ).toEqual(answers.map((a) => ({ what: a.what, status: a.status, errors: [] })));
    expect(r4Errors(exported.body)).toEqual([]);
  });
});
