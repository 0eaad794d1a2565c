import type { DeviceCredentialResponse, DeviceSummary } from '@vigil/contracts';
import { assign, auditRows, http, login, makeUser, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

const CUFF = { kind: 'bp_cuff', manufacturer: 'Omron', model: 'BP7450', serial: 'CUFF-001' };

describe('device pairing: /api/patients/:patientId/devices', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;
  let tokens: Record<'patient' | 'clinician' | 'stranger' | 'supervisor', string>;
  const devicesOf = (p: TestUser) => `/api/patients/${p.patientId}/devices`;

  beforeAll(async () => {
    t = await createTestApp();
    patient = await makeUser(t.dataSource, 'patient');
    clinician = await makeUser(t.dataSource, 'clinician');
    const stranger = await makeUser(t.dataSource, 'clinician');
    const supervisor = await makeUser(t.dataSource, 'supervisor');
    await assign(t.dataSource, clinician, patient);
    tokens = {
      patient: (await login(t.url, patient)).accessToken,
      clinician: (await login(t.url, clinician)).accessToken,
      stranger: (await login(t.url, stranger)).accessToken,
      supervisor: (await login(t.url, supervisor)).accessToken,
    };
  });
  afterAll(() => t.close());

  it('pairs a device for an assigned clinician, shows the credential once and stores only its hash', async () => {
    const res = await http<DeviceCredentialResponse>(t.url, 'POST', devicesOf(patient), {
      token: tokens.clinician,
      body: CUFF,
    });
    expect(res.status).toBe(201);
    expect(res.body.credential).toMatch(/^vgd_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(res.body.device).toMatchObject({
      ...CUFF,
      patientId: patient.patientId,
      status: 'active',
      pairedBy: { id: clinician.id, name: clinician.name },
      lastSeenAt: null,
    });
    expect(res.body.credential.startsWith(res.body.device.credentialHint.slice(0, -1))).toBe(true);

    const [row] = await t.dataSource.query(`SELECT secret_hash FROM devices WHERE id = $1`, [
      res.body.device.id,
    ]);
    expect(row.secret_hash).toMatch(/^\$argon2id\$/);
    expect(row.secret_hash).not.toContain(res.body.credential.slice(21));

    const list = await http<DeviceSummary[]>(t.url, 'GET', devicesOf(patient), {
      token: tokens.clinician,
    });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(res.body.credential);
    expect(
      await auditRows(t.dataSource, { action: 'device.pair', entityId: res.body.device.id }),
    ).toMatchObject([
      { outcome: 'success', actor_id: clinician.id, patient_id: patient.patientId },
    ]);
    expect(
      await auditRows(t.dataSource, { action: 'device.list', outcome: 'success' }),
    ).toHaveLength(1);
  });

  it('refuses the same physical device twice while it is paired (409)', async () => {
    const res = await http(t.url, 'POST', devicesOf(patient), {
      token: tokens.supervisor,
      body: CUFF,
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/^serial: /);
  });

  it('answers 404 to a clinician not assigned to the patient, 403 to the patient, and audits both', async () => {
    const body = { ...CUFF, serial: 'CUFF-404' };
    const stranger = await http(t.url, 'POST', devicesOf(patient), {
      token: tokens.stranger,
      body,
    });
    expect(stranger.status).toBe(404);
    expect(stranger.body.message).toBe('patient: not found');
    expect((await http(t.url, 'GET', devicesOf(patient), { token: tokens.stranger })).status).toBe(
      404,
    );
    const own = await http(t.url, 'POST', devicesOf(patient), { token: tokens.patient, body });
    expect(own.status).toBe(403);
    const denied = await auditRows(t.dataSource, { outcome: 'denied' });
    // The 409 above first, then these three.
    expect(denied.map((r: { action: string }) => r.action)).toEqual([
      'device.pair',
      'device.pair',
      'device.list',
      'device.pair',
    ]);
    expect(denied.every((r: { patient_id: string }) => r.patient_id === patient.patientId)).toBe(
      true,
    );
  });

  it('validates the pairing body, naming the field', async () => {
    const res = await http(t.url, 'POST', devicesOf(patient), {
      token: tokens.clinician,
      body: { ...CUFF, kind: 'thermometer' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^kind: must be one of bp_cuff, pulse_oximeter, hub/);
    const missing = await http(t.url, 'POST', devicesOf(patient), {
      token: tokens.clinician,
      body: { kind: 'hub', manufacturer: 'A', model: 'B' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/serial/);
  });

  it('rotates a credential (new one shown once, audited) and revokes a device', async () => {
    const paired = await http<DeviceCredentialResponse>(t.url, 'POST', devicesOf(patient), {
      token: tokens.supervisor,
      body: { kind: 'pulse_oximeter', manufacturer: 'Masimo', model: 'MightySat', serial: 'OX-1' },
    });
    const id = paired.body.device.id;
    const rotated = await http<DeviceCredentialResponse>(
      t.url,
      'POST',
      `${devicesOf(patient)}/${id}/rotate`,
      { token: tokens.clinician },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.credential).not.toBe(paired.body.credential);
    expect(rotated.body.device.rotatedAt).not.toBeNull();

    const revoked = await http<DeviceSummary>(t.url, 'POST', `${devicesOf(patient)}/${id}/revoke`, {
      token: tokens.clinician,
      body: { reason: 'lost in the post' },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      revokedBy: { id: clinician.id },
      revokeReason: 'lost in the post',
    });
    // Revoking again changes nothing; rotating a revoked device is refused.
    expect(
      (await http(t.url, 'POST', `${devicesOf(patient)}/${id}/revoke`, { token: tokens.clinician }))
        .status,
    ).toBe(200);
    expect(
      (await http(t.url, 'POST', `${devicesOf(patient)}/${id}/rotate`, { token: tokens.clinician }))
        .status,
    ).toBe(409);
    // Once revoked, the same physical device may be paired again (a new credential).
    expect(
      (
        await http(t.url, 'POST', devicesOf(patient), {
          token: tokens.clinician,
          body: {
            kind: 'pulse_oximeter',
            manufacturer: 'Masimo',
            model: 'MightySat',
            serial: 'OX-1',
          },
        })
      ).status,
    ).toBe(201);
    const actions = (await auditRows(t.dataSource, { entityId: id })).map(
      (r: { action: string; outcome: string }) => `${r.action}:${r.outcome}`,
    );
    expect(actions).toEqual([
      'device.pair:success',
      'device.rotate:success',
      'device.revoke:success',
      'device.revoke:success',
      'device.rotate:denied',
    ]);
  });

  it('answers 404 for a device of another patient', async () => {
    const other = await makeUser(t.dataSource, 'patient');
    await assign(t.dataSource, clinician, other);
    const [device] = (
      await http<DeviceSummary[]>(t.url, 'GET', devicesOf(patient), { token: tokens.clinician })
    ).body;
    const res = await http(t.url, 'POST', `${devicesOf(other)}/${device.id}/revoke`, {
      token: tokens.clinician,
    });
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('device: not found');
  });
});
