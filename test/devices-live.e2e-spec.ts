import type { SubmitAck } from '@vigil/contracts';
import { manual } from './support/clinical';
import { observation, pairDevice, postFhir } from './support/devices';
import { assign, auditRows, http, login, makeSession, makeUser } from './support/factories';
import {
  connectError,
  connectLive,
  connected,
  disconnected,
  recordEvents,
  sleep,
  until,
  watch,
  type LiveClient,
} from './support/live-client';
import { createTestApp, type TestApp } from './support/test-app';

describe('devices on /live: vitals.submit for their patient only, cut when revoked', () => {
  let t: TestApp;
  let sessionId: string;
  let otherSessionId: string;
  let otherPatientId: string;
  let patientId: string;
  let clinicianToken: string;
  const sockets: LiveClient[] = [];

  const open = async (token: string) => {
    const s = connectLive(t.url, token);
    sockets.push(s);
    await connected(s);
    return s;
  };
  const reading = (kind = 'spo2', value = 97) => ({
    kind,
    value,
    measuredAt: new Date(Date.now() - 500).toISOString(),
  });
  const submit = (s: LiveClient, sid: string, clientId: string, readings = [reading()]) =>
    s.timeout(10_000).emitWithAck('vitals.submit', {
      sessionId: sid,
      clientId,
      readings,
    } as never) as Promise<SubmitAck>;

  beforeAll(async () => {
    t = await createTestApp();
    const patient = await makeUser(t.dataSource, 'patient');
    const other = await makeUser(t.dataSource, 'patient');
    const clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    await assign(t.dataSource, clinician, other);
    sessionId = await makeSession(t.dataSource, { patient, clinician });
    otherSessionId = await makeSession(t.dataSource, { patient: other, clinician });
    patientId = patient.patientId!;
    otherPatientId = other.patientId!;
    clinicianToken = (await login(t.url, clinician)).accessToken;
  });
  beforeEach(() => manual(t).set(new Date()));
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => t.close());

  const pairFor = (kind: 'pulse_oximeter' | 'bp_cuff' = 'pulse_oximeter', patient = patientId) =>
    pairDevice(t.url, clinicianToken, { patientId: patient } as never, kind);

  it("streams readings into the patient's live session; watchers get them live", async () => {
    const { credential, device } = await pairFor();
    const clinicianSocket = await open(clinicianToken);
    const live = recordEvents(clinicianSocket);
    expect(await watch(clinicianSocket, sessionId, 1_000_000)).toMatchObject({ ok: true });
    const oximeter = await open(credential);
    const first = await submit(oximeter, sessionId, 'ox-1', [
      reading('spo2', 96),
      reading('heart_rate', 74),
    ]);
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(await submit(oximeter, sessionId, 'ox-1', [reading('spo2', 96)])).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    await until(() => live.length === 1, 5000, 'the live event');
    expect(live[0]).toMatchObject({
      type: 'vitals.recorded',
      actorId: null,
      data: {
        readings: [
          { kind: 'spo2', value: 96, source: 'device' },
          { kind: 'heart_rate', value: 74, source: 'device' },
        ],
        device: { id: device.id, kind: 'pulse_oximeter', via: 'socket' },
      },
    });
    expect(
      await auditRows(t.dataSource, { action: 'device.vitals.submit', actorId: device.id }),
    ).toHaveLength(2);
  });

  it('retries are idempotent by clientId', async () => {
    const { credential } = await pairFor();
    const s = await open(credential);
    const body = [reading('spo2', 95)];
    const a = await submit(s, sessionId, 'ox-retry', body);
    const b = await submit(s, sessionId, 'ox-retry', body);
    expect(a).toMatchObject({ ok: true, duplicate: false });
    expect(b).toEqual({ ok: true, seq: (a as { seq: number }).seq, duplicate: true });
  });

  it('is told unavailable, not unauthorized, when its credential could not be checked, and connects again with it', async () => {
    const { credential } = await pairFor();
    // A real database error in the credential check: the devices table is not there for a moment.
    await t.dataSource.query('ALTER TABLE devices RENAME TO devices_away');
    let answer: string;
    try {
      const s = connectLive(t.url, credential);
      sockets.push(s);
      answer = await connectError(s);
    } finally {
      await t.dataSource.query('ALTER TABLE devices_away RENAME TO devices');
    }
    // `unauthorized` means revoked: a device would stop streaming until paired again.
    expect(answer).toBe('unavailable');
    const s = await open(credential);
    expect(await submit(s, sessionId, 'after-outage')).toMatchObject({ ok: true });
  });

  it('refuses a reading dated more than a minute ahead of the server clock, as from a phone', async () => {
    const { credential } = await pairFor();
    const s = await open(credential);
    const ahead = { ...reading(), measuredAt: new Date(Date.now() + 10 * 60_000).toISOString() };
    const ack = await submit(s, sessionId, 'ox-ahead', [ahead]);
    expect(ack).toMatchObject({ ok: false, error: { code: 'invalid' } });
    if (!ack.ok) expect(ack.error.message).toMatch(/^readings\[0\]\.measuredAt: /);
  });

  it('refuses a reading dated before the device was paired (its backlog from another patient), naming the field', async () => {
    const { credential } = await pairFor();
    const s = await open(credential);
    const before = { ...reading(), measuredAt: new Date(Date.now() - 20 * 60_000).toISOString() };
    const ack = await submit(s, sessionId, 'ox-before', [reading(), before]);
    expect(ack).toMatchObject({ ok: false, error: { code: 'invalid' } });
    if (!ack.ok)
      expect(ack.error.message).toMatch(
        /^readings\[1\]\.measuredAt: .* before this device was paired with this patient .*check the device clock/,
      );
    // A clock a few minutes slow is still this session's.
    const slow = { ...reading(), measuredAt: new Date(Date.now() - 3 * 60_000).toISOString() };
    expect(await submit(s, sessionId, 'ox-slow', [slow])).toMatchObject({ ok: true });
  });

  it("refuses patient B's session with not_found, audited with B's patient", async () => {
    const { credential, device } = await pairFor();
    const s = await open(credential);
    expect(await submit(s, otherSessionId, 'ox-b')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(
      await auditRows(t.dataSource, { action: 'device.ingest', entityId: otherSessionId }),
    ).toMatchObject([
      { outcome: 'denied', actor_id: device.id, actor_role: 'device', patient_id: otherPatientId },
    ]);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM session_events WHERE session_id = $1`,
      [otherSessionId],
    );
    expect(n).toBe(0);
  });

  it('checks the credential on every reading: one changed behind the socket is refused, audited', async () => {
    const { credential, device } = await pairFor();
    const s = await open(credential);
    expect(await submit(s, sessionId, 'held-1')).toMatchObject({ ok: true });
    // Rotated in the database with no event to cut the socket: only the reading's check sees it.
    await t.dataSource.query(`UPDATE devices SET key_id = key_id || '-old' WHERE id = $1`, [
      device.id,
    ]);
    const refused = await submit(s, sessionId, 'held-2');
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await auditRows(t.dataSource, { action: 'device.ingest', entityId: device.id }),
    ).toMatchObject([{ outcome: 'denied', detail: { reason: 'revoked', deviceId: device.id } }]);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM session_events WHERE client_id = 'held-2'`,
    );
    expect(n).toBe(0);
  });

  it('marks the device seen at most every 2 s, not with every reading', async () => {
    const { credential, device } = await pairFor();
    const s = await open(credential);
    const seen = async () => {
      const [row] = await t.dataSource.query(`SELECT last_seen_at FROM devices WHERE id = $1`, [
        device.id,
      ]);
      return (row.last_seen_at as Date | null)?.toISOString() ?? null;
    };
    const longAgo = async () =>
      t.dataSource.query(`UPDATE devices SET last_seen_at = '2026-01-01T00:00:00Z' WHERE id = $1`, [
        device.id,
      ]);
    expect(await submit(s, sessionId, 'seen-1')).toMatchObject({ ok: true });
    expect(await seen()).not.toBeNull();
    await longAgo();
    manual(t).set(new Date(manual(t).now().getTime() + 1000));
    expect(await submit(s, sessionId, 'seen-2')).toMatchObject({ ok: true });
    expect(await seen()).toBe('2026-01-01T00:00:00.000Z');
    manual(t).set(new Date(manual(t).now().getTime() + 1500));
    expect(await submit(s, sessionId, 'seen-3')).toMatchObject({ ok: true });
    expect(await seen()).not.toBe('2026-01-01T00:00:00.000Z');
  });

  it('may send nothing but vitals.submit, and receives nothing', async () => {
    const { credential } = await pairFor();
    const s = await open(credential);
    const received: string[] = [];
    s.onAny((event: string) => received.push(event));
    const denied = { ok: false, error: { code: 'forbidden' } };
    expect(await watch(s, sessionId, 0)).toMatchObject(denied);
    expect(
      await s.timeout(5000).emitWithAck('checkin.submit', { sessionId, clientId: 'c1', moaas: 5 }),
    ).toMatchObject(denied);
    expect(
      await s.timeout(5000).emitWithAck('help.request', { sessionId, clientId: 'h1' }),
    ).toMatchObject(denied);
    expect(await s.timeout(5000).emitWithAck('presence.heartbeat', { sessionId })).toMatchObject(
      denied,
    );
    // Others' traffic on the session reaches no device socket.
    const p = await open(clinicianToken);
    await submit(p, sessionId, `clin-${Date.now()}`, [reading('heart_rate', 80)]);
    await sleep(300);
    expect(received).toEqual([]);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM session_events WHERE session_id = $1 AND type <> 'vitals.recorded' AND type NOT LIKE 'alert.%'`,
      [sessionId],
    );
    expect(n).toBe(0);
  });

  it('a cuff may not report SpO2 (invalid)', async () => {
    const { credential } = await pairFor('bp_cuff');
    const s = await open(credential);
    expect(await submit(s, sessionId, 'cuff-1', [reading('spo2', 97)])).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: 'readings[0].kind: a bp_cuff may not report spo2' },
    });
    expect(
      await submit(s, sessionId, 'cuff-2', [
        reading('bp_systolic', 124),
        reading('bp_diastolic', 80),
      ]),
    ).toMatchObject({ ok: true });
  });

  it('a revoked credential is cut at once on an open socket (within 5 s) and refused after', async () => {
    const { credential, device } = await pairFor();
    const s = await open(credential);
    expect(await submit(s, sessionId, 'before-revoke')).toMatchObject({ ok: true });
    const gone = disconnected(s, 5000);
    const started = Date.now();
    const res = await http(
      t.url,
      'POST',
      `/api/patients/${patientId}/devices/${device.id}/revoke`,
      {
        token: clinicianToken,
        body: { reason: 'test' },
      },
    );
    expect(res.status).toBe(200);
    await gone;
    expect(Date.now() - started).toBeLessThan(5000);
    const again = connectLive(t.url, credential);
    sockets.push(again);
    expect(await connectError(again)).toBe('unauthorized');
    expect(
      await auditRows(t.dataSource, { action: 'device.auth', entityId: device.id }),
    ).toMatchObject([{ outcome: 'denied', detail: { reason: 'revoked' } }]);
  });

  it('a revocation committed elsewhere (another instance) cuts the socket within 5 s', async () => {
    const { credential, device } = await pairFor();
    const s = await open(credential);
    const gone = disconnected(s, 5000);
    await t.dataSource.query(`UPDATE devices SET revoked_at = now() WHERE id = $1`, [device.id]);
    await gone;
  });

  it("a deactivated patient's devices are cut and refused: at the handshake, on /live and over FHIR", async () => {
    const patient = await makeUser(t.dataSource, 'patient');
    const clinician = await makeUser(t.dataSource, 'clinician');
    const supervisor = await makeUser(t.dataSource, 'supervisor');
    await assign(t.dataSource, clinician, patient);
    const sid = await makeSession(t.dataSource, { patient, clinician });
    const token = (await login(t.url, clinician)).accessToken;
    const { credential, device } = await pairDevice(
      t.url,
      token,
      { patientId: patient.patientId } as never,
      'pulse_oximeter',
    );
    const s = await open(credential);
    expect(await submit(s, sid, 'before-deactivation')).toMatchObject({ ok: true });
    const gone = disconnected(s, 5000);
    const res = await http(t.url, 'POST', `/api/admin/accounts/${patient.id}/deactivate`, {
      token: (await login(t.url, supervisor)).accessToken,
    });
    expect(res.status).toBe(201);
    await gone;
    const again = connectLive(t.url, credential);
    sockets.push(again);
    expect(await connectError(again)).toBe('unauthorized');
    expect(
      await auditRows(t.dataSource, { action: 'device.auth', entityId: device.id }),
    ).toMatchObject([{ outcome: 'denied', detail: { reason: 'patient_inactive' } }]);
    const fhir = await postFhir(
      t.url,
      credential,
      '/api/fhir/Observation',
      observation('59408-5', 96, '%', { device: { reference: `Device/${device.id}` } }),
    );
    expect(fhir.status).toBe(401);
    expect(
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM session_events WHERE session_id = $1 AND type = 'vitals.recorded'`,
        [sid],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('rotation cuts sockets on the old credential; the new one connects', async () => {
    const { credential, device } = await pairFor();
    const s = await open(credential);
    const gone = disconnected(s, 5000);
    const rotated = await http(
      t.url,
      'POST',
      `/api/patients/${patientId}/devices/${device.id}/rotate`,
      { token: clinicianToken },
    );
    expect(rotated.status).toBe(200);
    await gone;
    const old = connectLive(t.url, credential);
    sockets.push(old);
    expect(await connectError(old)).toBe('unauthorized');
    const fresh = await open(rotated.body.credential);
    expect(await submit(fresh, sessionId, `rotated-${Date.now()}`)).toMatchObject({ ok: true });
  });

  it('refuses an unknown or forged device credential at the handshake', async () => {
    const { credential } = await pairFor();
    for (const token of [`${credential.slice(0, -3)}AAA`, 'vgd_0000000000000000_x', 'vgd_']) {
      const s = connectLive(t.url, token);
      sockets.push(s);
      expect(await connectError(s)).toBe('unauthorized');
    }
  });
});
