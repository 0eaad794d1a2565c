import {
  assign,
  auditRows,
  http,
  login,
  makeSession,
  makeUser,
  type TestUser,
} from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { alertsOf, eventsOf, flow, manual, MINUTE, settle } from './support/clinical';

/** CLINICAL.md v2: the pre-dose no-go as an alarm, the rest, clinician-only clearance; overrides. */
describe('pre-dose gate v2 and per-patient overrides over REST', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;
  let stranger: TestUser;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    patient = await makeUser(t.dataSource, 'patient');
    clinician = await makeUser(t.dataSource, 'clinician');
    stranger = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    for (const [name, user] of Object.entries({ patient, clinician, stranger })) {
      token[name] = (await login(t.url, user)).accessToken;
    }
  });
  afterAll(() => t.close());

  const newSession = () =>
    makeSession(t.dataSource, { patient, clinician, state: 'scheduled', dosedAt: null });

  it('a no-go sounds as a medium alert, re-measuring waits 10 min, and only the clinician clears the dose', async () => {
    const id = await newSession();
    const phone = flow(t, token.patient, id);
    const first = await phone.screening({ sbp: 172, dbp: 96 });
    expect(first.body).toMatchObject({ state: 'screening', gate: { status: 'no_go' } });
    await settle(t);
    const [alert] = await alertsOf(t.dataSource, id);
    expect(alert).toMatchObject({
      condition: 'predose_no_go',
      priority: 'medium',
      status: 'open',
      message: 'BP 172/96 (no-go 160/100)',
    });

    manual(t).advance(9 * MINUTE);
    const tooSoon = await phone.screening({ sbp: 130, dbp: 80 });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.message).toMatch(/10-minute rest: 1 min to go/);

    manual(t).advance(MINUTE);
    const go = await phone.screening({ sbp: 130, dbp: 80 });
    expect(go.status).toBe(201);
    expect(go.body).toMatchObject({
      state: 'screening',
      gate: { status: 'go', clinicianClearanceRequired: true },
    });
    const dose = await phone.dose(manual(t).now());
    expect(dose.status).toBe(409);
    expect(dose.body.message).toMatch(/only the clinician can clear the dose/);
    await settle(t);
    expect((await alertsOf(t.dataSource, id))[0].status).toBe('open');
    const resolveByHand = await http(t.url, 'POST', `/api/alerts/${alert.id}/resolve`, {
      token: token.clinician,
      body: { note: 'looks fine' },
    });
    expect(resolveByHand.status).toBe(409);

    const cleared = await flow(t, token.clinician, id).override(
      'pre_dose',
      'Repeat BP 130/80 after rest, on video',
    );
    expect(cleared.body.state).toBe('ready');
    await settle(t);
    expect((await alertsOf(t.dataSource, id))[0].status).toBe('resolved');
    expect((await phone.dose(manual(t).now())).status).toBe(201);
  });

  it('a no-go reading with a question left unanswered is a no-go (stored, alarmed, rest), not an incomplete form', async () => {
    const id = await newSession();
    const phone = flow(t, token.patient, id);
    const first = await phone.screening({ sbp: 172, dbp: 96, fasting: undefined });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ state: 'screening', gate: { status: 'no_go' } });
    expect(first.body.gate.reasons.map((r: { code: string }) => r.code)).toEqual([
      'fasting_missing',
      'bp_no_go',
    ]);
    await settle(t);
    expect(await alertsOf(t.dataSource, id)).toMatchObject([
      { condition: 'predose_no_go', priority: 'medium', message: 'BP 172/96 (no-go 160/100)' },
    ]);
    // The rest holds: a go reading straight after is refused, not a way round the no-go.
    const tooSoon = await phone.screening({ sbp: 130, dbp: 80 });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.message).toMatch(/10-minute rest/);
    const override = await flow(t, token.clinician, id).override('pre_dose', 'seen on video');
    expect(override.status).toBe(409);
    expect(override.body.message).toMatch(/answer every screening question/);
  });

  it('requires SpO2 at screening: no-go at 91, caution at 93', async () => {
    const phone = flow(t, token.patient, await newSession());
    const missing = await phone.screening({ spo2: undefined });
    expect(missing.body.gate).toMatchObject({ status: 'incomplete' });
    expect(missing.body.gate.reasons.map((r: { code: string }) => r.code)).toContain(
      'spo2_missing',
    );
    const noGo = await flow(t, token.patient, await newSession()).screening({ spo2: 91 });
    expect(noGo.body.gate.status).toBe('no_go');
    const caution = await flow(t, token.patient, await newSession()).screening({ spo2: 93 });
    expect(caution.body).toMatchObject({ state: 'ready', gate: { status: 'caution' } });
  });

  describe('per-patient overrides', () => {
    const path = (setting = '') =>
      `/api/patients/${patient.patientId}/overrides${setting ? `/${setting}` : ''}`;
    const put = (setting: string, body: unknown, who = token.clinician) =>
      http(t.url, 'PUT', path(setting), { token: who, body });

    it('lists the bounded settings with their defaults', async () => {
      const res = await http(t.url, 'GET', path(), { token: token.clinician });
      expect(res.status).toBe(200);
      const spo2 = res.body.settings.find((s: { setting: string }) => s.setting === 'spo2Low');
      expect(spo2).toMatchObject({ min: 85, max: 94, default: 91, value: 91, override: null });
      expect(res.body.settings.map((s: { setting: string }) => s.setting)).not.toContain(
        'silenceMax',
      );
    });

    it('refuses a value outside the bounds, a locked setting, a patient and a stranger', async () => {
      const low = await put('spo2Low', { value: 84, reason: 'COPD' });
      expect(low.status).toBe(400);
      expect(low.body.message).toBe(
        'value: spo2Low (SpO2 low limit (high)) must be from 85 to 94 %.',
      );
      const locked = await put('silenceMax', { value: 10, reason: 'too noisy' });
      expect(locked.status).toBe(400);
      expect(locked.body.message).toMatch(
        /^setting: "silenceMax" cannot be overridden per patient/,
      );
      const longer = await put('escalationHigh', { value: 3, reason: 'busy' });
      expect(longer.body.message).toMatch(/escalationHigh .* must be from 0.5 to 2 min/);
      expect((await put('spo2Low', { value: 88, reason: 'x' }, token.patient)).status).toBe(403);
      // Reading them is staff work too: an override carries the clinician's reason and id.
      const read = await http(t.url, 'GET', path(), { token: token.patient });
      expect(read.status).toBe(403);
      expect(read.body.message).toMatch(/^role: /);
      expect(
        await auditRows(t.dataSource, { action: 'patient.overrides.read', outcome: 'denied' }),
      ).toHaveLength(1);
      expect((await put('spo2Low', { value: 88, reason: 'x' }, token.stranger)).status).toBe(404);
      expect((await put('spo2Low', { value: 88, reason: ' ' })).body.message).toMatch(/^reason: /);
    });

    it('sets and clears an override, audited, announced to the live session and used by the engine', async () => {
      const id = await makeSession(t.dataSource, {
        patient,
        clinician,
        state: 'monitoring',
        dosedAt: manual(t).now(),
      });
      const set = await put('spo2Low', { value: 88, reason: 'COPD, usual SpO2 89-90 %' });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({
        setting: 'spo2Low',
        value: 88,
        override: { value: 88, reason: 'COPD, usual SpO2 89-90 %', by: clinician.id },
      });
      const summary = await http(t.url, 'GET', `/api/sessions/${id}`, { token: token.clinician });
      expect(summary.body.overrides).toEqual([
        { setting: 'spo2Low', label: 'SpO2 low limit (high)', unit: '%', value: 88, default: 91 },
      ]);
      const [announced] = await eventsOf(t.dataSource, id, 'protocol.overridden');
      expect(announced.data).toMatchObject({ setting: 'spo2Low', value: 88, previous: null });

      await flow(t, token.patient, id).post('vitals', {
        clientId: 'typed-spo2-89',
        readings: [
          { kind: 'spo2', value: 89, measuredAt: manual(t).now().toISOString(), source: 'manual' },
        ],
      });
      await settle(t);
      // 89 is above the overridden 88: medium (borderline 93), not high.
      expect(await alertsOf(t.dataSource, id)).toEqual([
        expect.objectContaining({ condition: 'spo2_low', priority: 'medium' }),
      ]);

      const clear = await http(t.url, 'DELETE', path('spo2Low'), {
        token: token.clinician,
        body: { reason: 'Back to the protocol' },
      });
      expect(clear.status).toBe(200);
      expect(clear.body).toMatchObject({ value: 91, override: null });
      const again = await http(t.url, 'DELETE', path('spo2Low'), {
        token: token.clinician,
        body: { reason: 'twice' },
      });
      expect(again.status).toBe(404);
      const audit: Array<{ action: string; detail: Record<string, unknown> }> =
        await t.dataSource.query(
          `SELECT action, detail FROM audit_events
            WHERE entity_id = $1 AND action LIKE 'patient.override.%' AND outcome = 'success'
            ORDER BY id`,
          [patient.patientId],
        );
      expect(audit.map((a) => a.action)).toEqual([
        'patient.override.set',
        'patient.override.cleared',
      ]);
      expect(audit[0].detail).toMatchObject({ setting: 'spo2Low', value: 88, by: clinician.id });
      expect(audit[1].detail).toMatchObject({ reason: 'Back to the protocol', previous: 88 });
    });

    it("the session flow judges by the patient's overrides too: a 20-minute pre-dose rest", async () => {
      const rest = await put('preDoseRest', { value: 20, reason: 'BP settles slowly' });
      expect(rest.status).toBe(200);
      const id = await newSession();
      const phone = flow(t, token.patient, id);
      expect((await phone.screening({ sbp: 172, dbp: 96 })).body.gate).toMatchObject({
        status: 'no_go',
      });
      manual(t).advance(15 * MINUTE);
      const tooSoon = await phone.screening({ sbp: 130, dbp: 80 });
      expect(tooSoon.status).toBe(409);
      expect(tooSoon.body.message).toMatch(/20-minute rest: 5 min to go/);
      manual(t).advance(5 * MINUTE);
      expect((await phone.screening({ sbp: 130, dbp: 80 })).status).toBe(201);
      const clear = await http(t.url, 'DELETE', path('preDoseRest'), {
        token: token.clinician,
        body: { reason: 'Back to the protocol' },
      });
      expect(clear.status).toBe(200);
    });
  });
});
