/**
 * The sign-off's BP rule on a phone whose clock is 10 minutes off the server's (set by hand, no
 * network time: v1.12 takes a phone's times up to a day ahead). The phone stamps a reading's
 * measuredAt and its submission's sentAt by its own clock (v1.14) and the dose time on the
 * server's clock (its estimate from the API's Date headers). Found by a review: the sign-off aged
 * a BP from the phone's measuredAt against the server's now. CLINICAL.md "Recovery and end": BP
 * acceptable "from a reading under 15 min old"; on a phone 10 min fast a BP taken 20 min before
 * read 10 min old and let sign-off through, and on one 10 min slow a BP taken 6 min before read
 * 16 min old and was refused. The REMS report's peak check and "minutes after dose" were 10
 * minutes off too, and took the wrong BP for the peak check's.
 */
import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { cid, flow, manual, MINUTE } from './support/clinical';

describe('a phone whose clock is 10 minutes off: the sign-off BP and the REMS report', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    patient = await makeUser(t.dataSource, 'patient');
    clinician = await makeUser(t.dataSource, 'clinician');
    const supervisor = await makeUser(t.dataSource, 'supervisor');
    // From 3 h before now: each session runs the server's clock from up to 2 h before it.
    await assign(t.dataSource, clinician, patient, new Date(Date.now() - 3 * 3600_000));
    for (const u of [patient, clinician, supervisor])
      tokens[u.role] = (await login(t.url, u)).accessToken;
  });
  afterAll(() => t.close());

  /**
   * A session screened, dosed `minutes` before the database's now (the dose time on the server's
   * clock) and in monitoring, the server's clock then at the database's now. An event's `at` is
   * the database's commit time and a reading is dated no later than it, while these tests move the
   * server's (injected) clock on: so the readings are sent first, at the database's now, and the
   * clock is then moved on to the sign-off or the report with nothing more dated committed.
   */
  async function dosedSession(minutes: number) {
    const id = await makeSession(t.dataSource, {
      patient,
      clinician,
      state: 'scheduled',
      dosedAt: null,
    });
    const dosedAt = Date.now() - minutes * MINUTE;
    manual(t).set(new Date(dosedAt));
    const asPatient = flow(t, tokens.patient, id);
    expect((await asPatient.screening()).body.state).toBe('ready');
    expect((await asPatient.dose(new Date(dosedAt))).status).toBe(201);
    expect((await asPatient.transition('start_monitoring')).body.state).toBe('monitoring');
    manual(t).set(new Date(dosedAt + minutes * MINUTE));
    return { id, asPatient, asClinician: flow(t, tokens.clinician, id), dosedAt };
  }

  /**
   * A BP typed on the phone `waited` ago and sent now, as its outbox sends it: measuredAt and
   * sentAt (v1.14) both by the phone's clock, `skew` off the server's; `sentAt: false` for a phone
   * before v1.14.
   */
  function phoneBp(
    asPatient: ReturnType<typeof flow>,
    { skew, waited = 0, sentAt = true }: { skew: number; waited?: number; sentAt?: boolean },
    [sbp, dbp]: [number, number],
  ) {
    const phoneNow = manual(t).now().getTime() + skew;
    const measuredAt = new Date(phoneNow - waited).toISOString();
    return asPatient.post('vitals', {
      clientId: cid('bp'),
      readings: [
        { kind: 'bp_systolic', value: sbp, measuredAt },
        { kind: 'bp_diastolic', value: dbp, measuredAt },
      ],
      ...(sentAt ? { sentAt: new Date(phoneNow).toISOString() } : {}),
    });
  }

  /** At `minutes` after the dose: the end check-in, recovery, and the clinician's sign-off. */
  async function signOffAt(session: Awaited<ReturnType<typeof dosedSession>>, minutes: number) {
    manual(t).set(new Date(session.dosedAt + minutes * MINUTE));
    expect((await session.asPatient.checkIn({ moaas: 5, dissociation: 0 })).status).toBe(201);
    await session.asClinician.transition('begin_recovery');
    return session.asClinician.transition('sign_off');
  }

  const STALE = /The last blood pressure is older than 15 minutes: measure again\./;

  it('10 min fast: a BP taken 20 min before sign-off is stale, not "10 min old"', async () => {
    const session = await dosedSession(100);
    expect((await phoneBp(session.asPatient, { skew: 10 * MINUTE }, [124, 79])).status).toBe(201);
    const refused = await signOffAt(session, 120);
    expect({ status: refused.status, message: refused.body.message }).toEqual({
      status: 409,
      message: expect.stringMatching(STALE),
    });
  });

  it('10 min slow: a BP taken 6 min before sign-off is fresh, not "16 min old"', async () => {
    const session = await dosedSession(116);
    expect((await phoneBp(session.asPatient, { skew: -10 * MINUTE }, [124, 79])).status).toBe(201);
    const ended = await signOffAt(session, 122);
    expect({ status: ended.status, state: ended.body.state, message: ended.body.message }).toEqual({
      status: 201,
      state: 'ended',
      message: undefined,
    });
  });

  it('10 min fast, before v1.14 (no sentAt): a BP taken 20 min before counts from its arrival, never from ahead of it', async () => {
    const session = await dosedSession(100);
    const bp = await phoneBp(session.asPatient, { skew: 10 * MINUTE, sentAt: false }, [124, 79]);
    expect(bp.status).toBe(201);
    const refused = await signOffAt(session, 120);
    expect({ status: refused.status, message: refused.body.message }).toEqual({
      status: 409,
      message: expect.stringMatching(STALE),
    });
  });

  /**
   * The REMS report at 70 min of a session whose phone, `skew` off, sent a BP taken at `held`
   * minutes after the dose (held in its outbox: no signal) with one taken at `sent`.
   */
  async function report(
    skew: number,
    held: [number, [number, number]],
    sent: [number, [number, number]],
  ) {
    const session = await dosedSession(sent[0]);
    const waited = (sent[0] - held[0]) * MINUTE;
    expect((await phoneBp(session.asPatient, { skew, waited }, held[1])).status).toBe(201);
    expect((await phoneBp(session.asPatient, { skew }, sent[1])).status).toBe(201);
    manual(t).set(new Date(session.dosedAt + 70 * MINUTE));
    const res = await http(t.url, 'GET', `/api/supervisor/sessions/${session.id}/report`, {
      token: tokens.supervisor,
    });
    expect(res.status).toBe(200);
    type Bp = { at: string; minutesAfterDose: number } | null;
    const bps = res.body.bloodPressure as { atPeakCheck: Bp; beforeEnd: Bp };
    // A BP's `at` is when it was taken by the server's clock, as its minutesAfterDose counts.
    for (const bp of [bps.atPeakCheck, bps.beforeEnd])
      if (bp)
        expect((Date.parse(bp.at) - session.dosedAt) / MINUTE).toBeCloseTo(bp.minutesAfterDose, 1);
    return bps;
  }

  // The peak check (45 min, oral) takes the BP nearest it: by the server's clock, as the dose is.
  it('REMS, 10 min fast: the peak check is the BP taken at 50 min, not the one at 30 (read as 40)', async () => {
    expect(await report(10 * MINUTE, [30, [150, 95]], [50, [170, 100]])).toMatchObject({
      atPeakCheck: { sbp: 170, dbp: 100, minutesAfterDose: 50, targetMinutes: 45 },
      beforeEnd: { sbp: 170, dbp: 100, minutesAfterDose: 50 },
    });
  });

  it('REMS, 10 min slow: the peak check is the BP taken at 40 min, not the one at 60 (read as 50)', async () => {
    expect(await report(-10 * MINUTE, [40, [150, 95]], [60, [170, 100]])).toMatchObject({
      atPeakCheck: { sbp: 150, dbp: 95, minutesAfterDose: 40, targetMinutes: 45 },
      beforeEnd: { sbp: 170, dbp: 100, minutesAfterDose: 60 },
    });
  });
});
