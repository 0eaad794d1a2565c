import type { TestUser } from './support/factories';
import { openFlowWard, type FlowWard } from './support/flow-ward';
import type { TestApp } from './support/test-app';
import { cid, eventsOf, flow, goodScreening, manual, MINUTE, settle } from './support/clinical';

describe('session flow over REST: screening, dose, monitoring, recovery, sign-off', () => {
  let t: TestApp;
  let clinician: TestUser;
  let tokens: FlowWard['tokens'];
  let newSession: FlowWard['newSession'];

  beforeAll(async () => {
    ({ t, clinician, tokens, newSession } = await openFlowWard());
  });
  afterAll(() => t.close());

  it('runs the happy path: screening, ready, dose, monitoring, recovery, sign-off after 120 min', async () => {
    const id = await newSession();
    const asPatient = flow(t, tokens.patient, id);
    const asClinician = flow(t, tokens.clinician, id);
    // A BP is dated no later than its commit, the database's clock, and this test moves the
    // server's (injected) clock on by 125 min: it starts 125 min before the database's now, so
    // the BP sent at the end is committed when it was measured, as on one server clock.
    manual(t).set(new Date(Date.now() - 125 * MINUTE));

    const body = goodScreening('happy-screen');
    const screened = await asPatient.post('screening', body);
    expect(screened.status).toBe(201);
    expect(screened.body).toEqual({
      seq: expect.any(Number),
      duplicate: false,
      state: 'ready',
      gate: { status: 'go', reasons: [] },
    });
    const retry = await asPatient.post('screening', { ...body });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ seq: screened.body.seq, duplicate: true });
    // A retry answers the first answer's gate, as the screening's schema requires.
    expect(retry.body.gate).toEqual({ status: 'go', reasons: [] });
    const clash = await asPatient.post('screening', { ...body, sbp: 130 });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toMatch(/^clientId: /);

    const takenAt = manual(t).now();
    const dosed = await asPatient.dose(takenAt);
    expect(dosed.status).toBe(201);
    expect(dosed.body.state).toBe('dosed');
    expect((await asPatient.transition('start_monitoring')).body.state).toBe('monitoring');

    manual(t).advance(60 * MINUTE);
    expect((await asClinician.transition('begin_recovery')).body.state).toBe('recovery');
    await asPatient.vitals(manual(t).now(), [
      ['bp_systolic', 126],
      ['bp_diastolic', 80],
    ]);
    await asPatient.checkIn({ moaas: 5, dissociation: 0 });
    const early = await asClinician.transition('sign_off');
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/^state: 60 of at least 120 minutes since the dose\./);
    console.log(`sign-off at 60 min refused: ${early.body.message}`);

    manual(t).advance(65 * MINUTE);
    await asPatient.vitals(manual(t).now(), [
      ['bp_systolic', 124],
      ['bp_diastolic', 79],
    ]);
    await asPatient.checkIn({ moaas: 5, dissociation: 0 });
    expect((await asPatient.transition('sign_off')).status).toBe(403);
    const ended = await asClinician.transition('sign_off');
    expect(ended.status).toBe(201);
    expect(ended.body.state).toBe('ended');

    const [row] = await t.dataSource.query(
      `SELECT state, dosed_at, ended_at FROM sessions WHERE id = $1`,
      [id],
    );
    expect(row.state).toBe('ended');
    expect(row.dosed_at.toISOString()).toBe(takenAt.toISOString());
    expect(row.ended_at).not.toBeNull();
    const changes = await eventsOf(t.dataSource, id, 'session.state_changed');
    expect(changes.map((e) => `${String(e.data.from)}>${String(e.data.to)}`)).toEqual([
      'scheduled>screening',
      'screening>ready',
      'ready>dosed',
      'dosed>monitoring',
      'monitoring>recovery',
      'recovery>ended',
    ]);
    expect(changes[5].data).toMatchObject({ readyToLeaveMinutes: 125, minutesSinceDose: 125 });
    const audit = await t.dataSource.query(
      `SELECT action FROM audit_events WHERE entity_id = $1 AND outcome = 'success' ORDER BY id`,
      [id],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining([
        'session.screening',
        'session.dose',
        'session.start_monitoring',
        'session.sign_off',
      ]),
    );
    await settle(t);
  });

  it('blocks the dose after a no-go BP until a clinician overrides with a reason', async () => {
    const id = await newSession();
    const asPatient = flow(t, tokens.patient, id);
    const screened = await asPatient.screening({ sbp: 165, dbp: 95 });
    expect(screened.status).toBe(201);
    expect(screened.body.state).toBe('screening');
    expect(screened.body.gate.status).toBe('no_go');
    // CLINICAL.md v2: no-go at SBP >= 160 (DBP 95 is only a caution now).
    expect(screened.body.gate.reasons[0].message).toBe('Blood pressure 165/95 >= 160/100 (no-go).');
    expect(screened.body.gate.remeasureAfter).toBe(
      new Date(manual(t).now().getTime() + 10 * 60_000).toISOString(),
    );

    const blocked = await asPatient.dose(manual(t).now());
    expect(blocked.status).toBe(409);
    expect(blocked.body.message).toMatch(/^state: Blood pressure 165\/95 .*overrides/);

    expect((await asPatient.override('pre_dose', 'I know best')).status).toBe(403);
    const noReason = await flow(t, tokens.clinician, id).post('override', {
      clientId: cid('ov'),
      gate: 'pre_dose',
      reason: '  ',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.message).toMatch(/^reason: is required/);

    const override = {
      clientId: cid('ov'),
      gate: 'pre_dose',
      reason: 'Repeat BP 150/88 on video; white-coat pattern on three prior sessions',
    };
    const overridden = await flow(t, tokens.clinician, id).post('override', override);
    expect(overridden.status).toBe(201);
    expect(overridden.body.state).toBe('ready');
    const dosed = await asPatient.dose(manual(t).now());
    expect(dosed.status).toBe(201);
    const [doseEvent] = (await eventsOf(t.dataSource, id, 'session.state_changed')).filter(
      (e) => e.data.to === 'dosed',
    );
    expect(doseEvent.data.flags).toContain('gate_overridden');
    const audited = await t.dataSource.query(
      `SELECT actor_id FROM audit_events WHERE action = 'session.override' AND entity_id = $1 AND outcome = 'success'`,
      [id],
    );
    expect(audited).toEqual([{ actor_id: clinician.id }]);

    // A retry answers the move alone: an override has no screening gate to answer with (its
    // event's `gate` names the gate it lifts).
    const again = await flow(t, tokens.clinician, id).post('override', { ...override });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ seq: overridden.body.seq, duplicate: true, state: 'dosed' });
  });

  it('a new screening voids an earlier override', async () => {
    const id = await newSession();
    const asPatient = flow(t, tokens.patient, id);
    await asPatient.screening({ sbp: 170, dbp: 95 });
    await flow(t, tokens.clinician, id).override('pre_dose', 'reviewed');
    manual(t).advance(10 * 60_000);
    const again = await asPatient.screening({ sbp: 172, dbp: 96 });
    expect(again.body.state).toBe('screening');
    expect((await asPatient.dose(manual(t).now())).status).toBe(409);
  });

  it('never makes an end before 120 min a normal end, even with an override: it is an abort', async () => {
    const id = await newSession();
    const asPatient = flow(t, tokens.patient, id);
    const asClinician = flow(t, tokens.clinician, id);
    await asPatient.screening();
    await asPatient.dose(manual(t).now());
    await asPatient.transition('start_monitoring');
    const notYet = await asClinician.transition('sign_off');
    expect(notYet.status).toBe(409);
    expect(notYet.body.message).toBe(
      'state: Cannot sign off while the session is monitoring. (session is monitoring)',
    );
    await asClinician.transition('begin_recovery');
    expect((await asClinician.override('end', 'Transferred to ED by ambulance')).status).toBe(201);
    const early = await asClinician.transition('sign_off');
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/not a normal end: abort the session with a reason/);
    const aborted = await asClinician.transition('abort', 'Transferred to ED by ambulance');
    expect(aborted.status).toBe(201);
    expect(aborted.body.state).toBe('aborted');
    const last = (await eventsOf(t.dataSource, id, 'session.state_changed')).at(-1)!;
    expect(last.data).toMatchObject({ to: 'aborted', reason: 'Transferred to ED by ambulance' });
  });

  it('an open tachycardia alert at a pulse scoring NEWS2 3 blocks ready-to-leave; no end override lifts it', async () => {
    const id = await newSession();
    const asPatient = flow(t, tokens.patient, id);
    const asClinician = flow(t, tokens.clinician, id);
    await asPatient.screening();
    await asPatient.dose(manual(t).now());
    await asPatient.transition('start_monitoring');
    manual(t).advance(121 * MINUTE);
    await asClinician.transition('begin_recovery');
    const typed = (readings: Array<[string, number]>) =>
      asPatient.post('vitals', {
        clientId: cid('typed'),
        readings: readings.map(([kind, value]) => ({
          kind,
          value,
          measuredAt: manual(t).now().toISOString(),
          source: 'manual',
        })),
      });
    // Pulse 131 scores NEWS2 3; one cause, one alert raises it as hr_high, not news2_single_3.
    await typed([
      ['bp_systolic', 124],
      ['bp_diastolic', 79],
      ['heart_rate', 131],
    ]);
    await asPatient.checkIn({ moaas: 5, dissociation: 0 });
    await settle(t);
    const blocked = await asClinician.transition('sign_off');
    expect(blocked.status).toBe(409);
    expect(blocked.body.message).toMatch(/Open breathing alert: hr_high \(NEWS2 3\)/);
    await asClinician.override('end', 'Looks well on video');
    expect((await asClinician.transition('sign_off')).status).toBe(409);
    manual(t).advance(MINUTE);
    await typed([['heart_rate', 96]]);
    await settle(t);
    const ended = await asClinician.transition('sign_off');
    expect(ended.status).toBe(201);
    expect(ended.body.state).toBe('ended');
  });

  it("takes a dose time up to a minute ahead of the server clock as now (the phone's clock a little ahead); further ahead is refused", async () => {
    const id = await newSession();
    const asPatient = flow(t, tokens.patient, id);
    expect((await asPatient.post('screening', goodScreening(cid('scr')))).status).toBe(201);
    const now = manual(t).now();
    const far = await asPatient.dose(new Date(now.getTime() + 61_000));
    expect(far.status).toBe(409);
    const body = {
      clientId: cid('dose-ahead'),
      doseMg: 100,
      route: 'oral',
      takenAt: new Date(now.getTime() + 30_000).toISOString(),
    };
    const dosed = await asPatient.post('dose', body);
    expect(dosed.status).toBe(201);
    expect(dosed.body.state).toBe('dosed');
    const [session] = await t.dataSource.query(`SELECT dosed_at FROM sessions WHERE id = $1`, [id]);
    expect(session.dosed_at.toISOString()).toBe(now.toISOString());
    // Its retry, the same bytes a while later, is the same submission.
    manual(t).advance(MINUTE);
    expect(await asPatient.post('dose', body)).toMatchObject({
      status: 200,
      body: { seq: dosed.body.seq, duplicate: true },
    });
  });
});
