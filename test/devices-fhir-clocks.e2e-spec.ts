import { alertsOf, flow, manual, settle, tick } from './support/clinical';
import { bundle, observation, pairDevice, postFhir } from './support/devices';
import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { setupFhirIngest, storedReadings } from './support/fhir-fixture';
import type { TestApp } from './support/test-app';

/** Paired devices whose clocks are off: what ingest stores and what the engine makes of it. */
describe('FHIR R4 ingest: device clocks (review rdev)', () => {
  let t: TestApp;
  let clinician: TestUser;
  let clinicianToken: string;

  beforeAll(async () => {
    ({ t, clinician, clinicianToken } = await setupFhirIngest());
  });
  // Readings are dated by the wall clock; keep the app's manual clock with it (a reading more
  // than a minute ahead of the server's clock is refused).
  beforeEach(() => manual(t).set(new Date()));
  afterAll(() => t.close());

  /** A fresh patient with a monitoring session, assigned to the clinician. */
  const freshPatient = async () => {
    const patient = await makeUser(t.dataSource, 'patient');
    await assign(t.dataSource, clinician, patient);
    const sessionId = await makeSession(t.dataSource, { patient, clinician });
    return { patient, sessionId };
  };

  /** One SpO2 Observation per second from `startMs`: a 1 Hz oximeter's buffered stream. */
  const spo2Stream = (startMs: number, values: number[]) =>
    values.map((v, i) =>
      observation(['59408-5', '2708-6'], v, '%', {
        effectiveDateTime: new Date(startMs + i * 1000).toISOString(),
      }),
    );

  const postBatch = async (credential: string, resources: unknown[]) => {
    const res = await postFhir(t.url, credential, '/api/fhir', bundle('batch', resources));
    expect(res.status).toBe(200);
    return (res.body.entry as Array<{ response: { status: string } }>).map(
      (e) => e.response.status,
    );
  };

  const spo2Alerts = async (id: string) =>
    (await alertsOf(t.dataSource, id)).filter((a) => a.condition === 'spo2_low');

  /** The patient types SpO2 97 on the phone, measured 30 s before `now`. */
  const typeSpo2 = async (patient: TestUser, id: string, now: number) => {
    const phone = (await login(t.url, patient)).accessToken;
    const typed = await http(t.url, 'POST', `/api/sessions/${id}/vitals`, {
      token: phone,
      body: {
        clientId: `typed-${now}`,
        readings: [
          {
            kind: 'spo2',
            value: 97,
            measuredAt: new Date(now - 30_000).toISOString(),
            source: 'manual',
          },
        ],
      },
    });
    expect(typed.status).toBe(201);
  };

  it('an oximeter on time, 20 s of SpO2 85 after a typed SpO2 97, raises spo2_low', async () => {
    const now = Date.now();
    manual(t).set(new Date(now));
    const { patient, sessionId: id } = await freshPatient();
    const ox = await pairDevice(t.url, clinicianToken, patient, 'pulse_oximeter');
    await typeSpo2(patient, id, now);
    const statuses = await postBatch(ox.credential, spo2Stream(now - 21_000, Array(20).fill(85)));
    expect(statuses).toEqual(Array(20).fill('201 Created'));
    await tick(t);
    expect(await spo2Alerts(id)).toMatchObject([{ priority: 'high' }]);
  });

  // The engine dropped every reading dated before the latest SpO2 (the typed one, by the
  // phone's clock): a sustained SpO2 85, stored and shown, raised nothing at all.
  it('an oximeter whose clock is 3 min slow, 20 s of SpO2 85 after a typed SpO2 97, still raises spo2_low', async () => {
    const now = Date.now();
    manual(t).set(new Date(now));
    const { patient, sessionId: id } = await freshPatient();
    const ox = await pairDevice(t.url, clinicianToken, patient, 'pulse_oximeter');
    await typeSpo2(patient, id, now);
    // The same 20 s of SpO2 85, measured now, dated by a device clock 3 minutes behind ours.
    const slow = 3 * 60_000;
    const statuses = await postBatch(
      ox.credential,
      spo2Stream(now - 21_000 - slow, Array(20).fill(85)),
    );
    expect(statuses).toEqual(Array(20).fill('201 Created'));
    expect((await storedReadings(t, id)).filter((r) => r.value === 85)).toHaveLength(20);
    await tick(t);
    manual(t).set(new Date(now + 20_000));
    await tick(t);
    expect(await spo2Alerts(id)).toMatchObject([{ priority: 'high' }]);
  });

  /** A batch's answers: each entry's status and, if refused, its element and words. */
  const answers = (entries: Array<{ response: { status: string; outcome?: unknown } }>) =>
    entries.map((e) => {
      const issue = (e.response.outcome as { issue?: Array<Record<string, unknown>> })?.issue?.[0];
      return {
        status: e.response.status,
        expression: issue?.expression,
        text: issue?.diagnostics,
      };
    });

  // A device moved from patient A to patient B uploaded the backlog it measured on A: stored as
  // B's readings in B's live session, and alarmed on B. Sessions backdated an hour, so that the
  // pairing, not the session's start, is what these readings come before.
  it("readings measured before the device was paired to B (while it was A's) are refused, not stored in B's session", async () => {
    const t0 = Date.now() - 30 * 60_000;
    manual(t).set(new Date(t0));
    const a = await freshPatient();
    const b = await freshPatient();
    await t.dataSource.query(`UPDATE sessions SET created_at = $1 WHERE id = ANY($2::uuid[])`, [
      new Date(t0 - 60 * 60_000),
      [a.sessionId, b.sessionId],
    ]);
    const serial = `SN-REPAIR-${t0}`;
    const onA = await pairDevice(t.url, clinicianToken, a.patient, 'pulse_oximeter', serial);
    // A's readings measured at t0 + 1 min .. + 21 s, SpO2 84: not delivered before the revoke.
    const backlog = spo2Stream(t0 + 60_000, Array(20).fill(84));
    manual(t).set(new Date(t0 + 5 * 60_000));
    const revoked = await http(
      t.url,
      'POST',
      `/api/patients/${a.patient.patientId}/devices/${onA.device.id}/revoke`,
      { token: clinicianToken, body: { reason: 'moved to another patient' } },
    );
    expect(revoked.status).toBe(200);
    // Ten minutes later, paired to B; it flushes its queue with B's credential.
    manual(t).set(new Date(t0 + 15 * 60_000));
    const onB = await pairDevice(t.url, clinicianToken, b.patient, 'pulse_oximeter', serial);
    manual(t).set(new Date(t0 + 16 * 60_000));
    const res = await postFhir(t.url, onB.credential, '/api/fhir', bundle('batch', backlog));
    expect(res.status).toBe(200);
    const refused = answers(res.body.entry);
    expect(refused).toHaveLength(20);
    expect(refused[3]).toEqual({
      status: '400 Bad Request',
      expression: ['Bundle.entry[3].resource.effectiveDateTime'],
      text: expect.stringMatching(
        /before this device was paired with this patient .*check the device clock/,
      ),
    });
    expect(refused.every((r) => r.status === '400 Bad Request')).toBe(true);
    await settle(t);
    expect((await storedReadings(t, b.sessionId)).filter((r) => r.value === 84)).toHaveLength(0);
    expect(await spo2Alerts(b.sessionId)).toHaveLength(0);
    // What it measures on B from its pairing on is B's.
    const onBNow = await postBatch(onB.credential, spo2Stream(t0 + 15 * 60_000 + 5000, [97]));
    expect(onBNow).toEqual(['201 Created']);
  });

  // Readings dated before the session existed (a hub's backlog from yesterday, a clock reset to
  // year 0001) were accepted into today's live session and raised today's alarm.
  it("a backlog measured yesterday is not stored as today's session's readings nor alarmed on", async () => {
    const now = Date.now();
    manual(t).set(new Date(now));
    const { patient, sessionId: id } = await freshPatient();
    const ox = await pairDevice(t.url, clinicianToken, patient, 'pulse_oximeter');
    const yesterday = now - 24 * 3600_000;
    const year1 = observation(['59408-5'], 83, '%', {
      effectiveDateTime: '0001-01-01T00:00:00Z',
    });
    const res = await postFhir(
      t.url,
      ox.credential,
      '/api/fhir',
      bundle('batch', [...spo2Stream(yesterday, Array(20).fill(83)), year1]),
    );
    expect(res.status).toBe(200);
    expect(answers(res.body.entry).map((r) => r.status)).toEqual(Array(21).fill('400 Bad Request'));
    await tick(t);
    expect((await storedReadings(t, id)).filter((r) => r.value === 83)).toHaveLength(0);
    expect(await spo2Alerts(id)).toHaveLength(0);
  });

  it('counts from when a session scheduled days ahead went live, not from when it was scheduled', async () => {
    const now = Date.now();
    const patient = await makeUser(t.dataSource, 'patient');
    await assign(t.dataSource, clinician, patient);
    // A hub paired with the patient a week ago; the session scheduled three days ago.
    manual(t).set(new Date(now));
    const hubAtHome = await pairDevice(t.url, clinicianToken, patient, 'hub');
    const id = await makeSession(t.dataSource, { patient, clinician, state: 'scheduled' });
    await t.dataSource.query(`UPDATE devices SET paired_at = $1 WHERE id = $2`, [
      new Date(now - 7 * 24 * 3600_000),
      hubAtHome.device.id,
    ]);
    await t.dataSource.query(`UPDATE sessions SET created_at = $1 WHERE id = $2`, [
      new Date(now - 3 * 24 * 3600_000),
      id,
    ]);
    const phone = (await login(t.url, patient)).accessToken;
    expect((await flow(t, phone, id).screening()).status).toBe(201);
    const res = await postFhir(
      t.url,
      hubAtHome.credential,
      '/api/fhir/Observation',
      observation('59408-5', 83, '%', {
        effectiveDateTime: new Date(now - 24 * 3600_000).toISOString(),
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.issue[0]).toMatchObject({
      expression: ['Observation.effectiveDateTime'],
      diagnostics: expect.stringMatching(/before this session started .*check the device clock/),
    });
    const today = observation('59408-5', 96, '%');
    expect(
      (await postFhir(t.url, hubAtHome.credential, '/api/fhir/Observation', today)).status,
    ).toBe(201);
  });
});
