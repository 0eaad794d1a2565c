import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { cid, eventsOf, flow, goodScreening, manual, MINUTE, settle } from './support/clinical';

describe('session flow over REST: screening, dose, monitoring, recovery, sign-off', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;
  let stranger: TestUser;
  let supervisor: TestUser;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    patient = await makeUser(t.dataSource, 'patient');
    clinician = await makeUser(t.dataSource, 'clinician');
    stranger = await makeUser(t.dataSource, 'clinician');
    supervisor = await makeUser(t.dataSource, 'supervisor');
    // From 3 h before now: the happy path runs its clock from 125 min before the database's now.
    await assign(t.dataSource, clinician, patient, new Date(Date.now() - 3 * 3600_000));
    for (const u of [patient, clinician, stranger, supervisor]) {
      tokens[u.role + (u === stranger ? '2' : '')] = (await login(t.url, u)).accessToken;
    }
  });
  afterAll(() => t.close());

  const newSession = () =>
    makeSession(t.dataSource, { patient, clinician, state: 'scheduled', dosedAt: null });

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

  it('abort needs a reason; an aborted session accepts nothing more', async () => {
    const id = await newSession();
    const asPatient = flow(t, tokens.patient, id);
    const bare = await asPatient.post('transition', { clientId: cid('a'), action: 'abort' });
    expect(bare.status).toBe(400);
    expect(bare.body.message).toBe('reason: is required to abort a session');
    const aborted = await asPatient.transition('abort', 'patient declined');
    expect(aborted.status).toBe(201);
    expect(aborted.body.state).toBe('aborted');
    const after = await asPatient.transition('start_screening');
    expect(after.status).toBe(409);
    expect(after.body.message).toMatch(/^state: The session is aborted; nothing more can happen/);
  });

  it("refuses the patient's help, check-in and message once the session is aborted (409 state, nobody would be told); a retry of what was stored before is still a duplicate", async () => {
    const id = await newSession();
    const asPatient = flow(t, tokens.patient, id);
    expect((await asPatient.transition('start_screening')).status).toBe(201);
    const before = { clientId: cid('h-before') };
    const stored = await asPatient.post('help', before);
    expect(stored.status).toBe(201);
    expect((await flow(t, tokens.clinician, id).transition('abort', 'no answer')).status).toBe(201);
    const help = await asPatient.help();
    expect(help.status).toBe(409);
    expect(help.body.message).toMatch(
      /^state: the session is aborted and nobody is watching it; call your care team/,
    );
    const checkIn = await asPatient.checkIn({ moaas: 5 });
    expect(checkIn.status).toBe(409);
    expect(checkIn.body.message).toBe(
      'state: the session is aborted; nothing more can be sent to it',
    );
    // Vitals are stored (they raise nothing on a closed session; a state read for each 1 Hz
    // reading doubled the hot path's cost).
    expect((await asPatient.vitals(new Date(), [['heart_rate', 80]])).status).toBe(201);
    expect((await asPatient.post('messages', { clientId: cid('m'), text: 'hello?' })).status).toBe(
      409,
    );
    // The help press stored while the session was live: its retry is answered as before.
    expect(await asPatient.post('help', before)).toMatchObject({
      status: 200,
      body: { seq: stored.body.seq, duplicate: true },
    });
    // The care team may still write to the record.
    const note = await http(t.url, 'POST', `/api/sessions/${id}/notes`, {
      token: tokens.clinician,
      body: { clientId: cid('n'), text: 'Called the patient back.' },
    });
    expect(note.status).toBe(201);
    const events = await eventsOf(t.dataSource, id);
    expect(events.filter((e) => e.type === 'help.requested')).toHaveLength(1);
    const refusals = await t.dataSource.query(
      `SELECT action FROM audit_events WHERE entity_id = $1 AND outcome = 'denied' ORDER BY seq`,
      [id],
    );
    expect(refusals.map((r: { action: string }) => r.action)).toEqual([
      'help.request',
      'checkin.submit',
      'message.send',
    ]);
  });

  it.each([
    ['help', () => ({ clientId: cid('h-race') })],
    ['check-ins', () => ({ clientId: cid('c-race'), moaas: 2 })],
  ])(
    'refuses a patient %s sent while an abort is committing: judged under the session lock, not before it',
    async (path, body) => {
      const id = await newSession();
      const asPatient = flow(t, tokens.patient, id);
      expect((await asPatient.transition('start_screening')).status).toBe(201);
      // The abort in progress: its transaction holds the session row and has changed the state.
      const abort = t.dataSource.createQueryRunner();
      await abort.connect();
      await abort.startTransaction();
      try {
        await abort.query(`SELECT id FROM sessions WHERE id = $1 FOR NO KEY UPDATE`, [id]);
        await abort.query(`UPDATE sessions SET state = 'aborted' WHERE id = $1`, [id]);
        const pending = asPatient.post(path, body());
        // Until the press waits for the row: it has read whatever it reads before the append.
        for (let i = 0; i < 200; i++) {
          const [{ n }] = await t.dataSource.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE wait_event_type = 'Lock' AND datname = current_database()`,
          );
          if (n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await abort.commitTransaction();
        const answer = await pending;
        expect(answer.status).toBe(409);
        expect(answer.body.message).toMatch(/^state: the session is aborted/);
      } finally {
        await abort.release();
      }
      const events = await eventsOf(t.dataSource, id);
      expect(events.filter((e) => e.type !== 'session.state_changed')).toEqual([]);
      const [refusal] = await t.dataSource.query(
        `SELECT outcome, detail FROM audit_events WHERE entity_id = $1 AND action = $2`,
        [id, path === 'help' ? 'help.request' : 'checkin.submit'],
      );
      expect(refusal).toMatchObject({
        outcome: 'denied',
        detail: { result: 'not_live', state: 'aborted' },
      });
    },
  );

  it('hides a session from an unassigned clinician (404) and refuses roles that may not act (403)', async () => {
    const id = await newSession();
    const r1 = await flow(t, tokens.clinician2, id).screening();
    expect(r1.status).toBe(404);
    expect(r1.body.message).toBe('session: not found');
    const r2 = await flow(t, tokens.supervisor, id).screening();
    expect(r2.status).toBe(403);
    expect(r2.body.message).toMatch(/^role: /);
    const r3 = await flow(t, tokens.clinician2, id).override('end', 'x');
    expect(r3.status).toBe(404);
    const denied = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND outcome = 'denied'`,
      [id],
    );
    expect(denied[0].n).toBe(3);
  });

  describe('bad input gets a 400 naming the field, never a 500', () => {
    let id: string;
    beforeAll(async () => {
      id = await newSession();
    });
    const cases: Array<[string, unknown, RegExp]> = [
      ['screening', { ...goodScreening('b1'), sbp: 'high' }, /^sbp: must be a number/],
      ['screening', { ...goodScreening('b2'), sbp: 400 }, /^sbp: must be at most 300/],
      ['screening', { ...goodScreening('b3'), phq9: [0, 1] }, /^phq9: must have exactly 9/],
      ['screening', { ...goodScreening('b4'), moaasBaseline: 6 }, /^moaasBaseline: /],
      [
        'screening',
        { ...goodScreening('b5'), supportPerson: { adult: 'yes' } },
        /^supportPerson\.adult: /,
      ],
      ['screening', { ...goodScreening('b6'), mood: 3 }, /^mood: unknown field/],
      ['screening', { sbp: 120 }, /^clientId: /],
      [
        'dose',
        { clientId: 'd1', doseMg: -5, route: 'oral', takenAt: '2026-01-01T10:00:00Z' },
        /^doseMg: must be above 0/,
      ],
      [
        'dose',
        { clientId: 'd2', doseMg: 100, route: 'iv', takenAt: '2026-01-01T10:00:00Z' },
        /^route: must be oral or sublingual/,
      ],
      ['dose', { clientId: 'd3', doseMg: 100, route: 'oral', takenAt: 'now' }, /^takenAt: /],
      ['override', { clientId: 'o1', gate: 'middle', reason: 'x' }, /^gate: /],
      ['transition', { clientId: 't1', action: 'fly' }, /^action: must be one of/],
      ['transition', [1], /^body: /],
    ];
    it.each(cases)('%s %j', async (path, body, message) => {
      const res = await http(t.url, 'POST', `/api/sessions/${id}/${path}`, {
        token: tokens.clinician,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    });
  });
});
