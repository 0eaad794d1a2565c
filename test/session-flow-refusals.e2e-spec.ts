import { http } from './support/factories';
import { openFlowWard, type FlowWard } from './support/flow-ward';
import type { TestApp } from './support/test-app';
import { cid, eventsOf, flow, goodScreening } from './support/clinical';

/** Session flow over REST: what it refuses (split from session-flow.e2e-spec.ts). */
describe('session flow over REST: aborts, refusals and bad input', () => {
  let t: TestApp;
  let tokens: FlowWard['tokens'];
  let newSession: FlowWard['newSession'];

  beforeAll(async () => {
    ({ t, tokens, newSession } = await openFlowWard());
  });
  afterAll(() => t.close());

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
