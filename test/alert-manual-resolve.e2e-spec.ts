import { AlertEngineService } from '../apps/api/src/modules/alerts/alert-engine.service';
import { openAlertWard, type AlertWard } from './support/alert-ward';
import type { TestApp } from './support/test-app';
import {
  alertsOf,
  engineProgress,
  eventsOf,
  flow,
  manual,
  MINUTE,
  settle,
  tick,
} from './support/clinical';

const SECOND = 1000;

/**
 * After a clinician resolves an alert, the engine raises that condition again only on evidence
 * taken after the resolve (CLINICAL.md v2: alarm fatigue and a missed deterioration both rule the
 * lifecycle). The CI dry run saw "SBP 186 (limit 180)" come straight back, new alertId, from the
 * BP the clinician had just judged, at the next engine pass.
 */
describe('alerts after a manual resolve: old readings never raise again, new evidence does', () => {
  let t: TestApp;
  let token: AlertWard['token'];
  let liveSession: AlertWard['liveSession'];
  let act: AlertWard['act'];

  beforeAll(async () => {
    ({ t, token, liveSession, act } = await openAlertWard());
  });
  afterAll(() => t.close());

  const raisedFor = async (id: string, condition: string) =>
    (await eventsOf(t.dataSource, id, 'alert.raised')).filter(
      (e) => e.data.condition === condition,
    );
  const resolveOne = async (id: string, condition: string) => {
    const alert = (await alertsOf(t.dataSource, id)).find(
      (a) => a.condition === condition && a.status !== 'resolved',
    );
    expect(alert).toBeDefined();
    expect((await act(alert!.id, 'acknowledge')).status).toBe(200);
    expect((await act(alert!.id, 'resolve', { note: 'BP rechecked by phone' })).status).toBe(200);
    return alert!.id;
  };

  it('BP 186 resolved: a check-in, other vitals and ticks raise nothing; a new BP 186 raises a new alert', async () => {
    const id = await liveSession();
    const phone = flow(t, token.patient, id);
    await phone.vitals(manual(t).now(), [
      ['bp_systolic', 186],
      ['bp_diastolic', 95],
    ]);
    await settle(t);
    const first = await resolveOne(id, 'sbp_high');

    manual(t).advance(30 * SECOND);
    await phone.checkIn({ moaas: 5 });
    await phone.vitals(manual(t).now(), [
      ['heart_rate', 80],
      ['spo2', 98],
    ]);
    await settle(t);
    manual(t).advance(MINUTE);
    await tick(t);
    await tick(t);
    expect(await raisedFor(id, 'sbp_high')).toHaveLength(1);
    const sbp = (await alertsOf(t.dataSource, id)).filter((a) => a.condition === 'sbp_high');
    expect(sbp).toEqual([expect.objectContaining({ id: first, status: 'resolved' })]);

    // Real new evidence is never suppressed. A clinician's resolve closed that episode (who,
    // when, note), so this is a new alert with its own escalation clock, not a reopening.
    manual(t).advance(MINUTE);
    await phone.vitals(manual(t).now(), [
      ['bp_systolic', 186],
      ['bp_diastolic', 95],
    ]);
    await settle(t);
    const raised = await raisedFor(id, 'sbp_high');
    expect(raised).toHaveLength(2);
    expect(raised[1].data).toMatchObject({ message: 'SBP 186 (limit 180)', priority: 'high' });
    expect(raised[1].data.alertId).not.toBe(first);
    const open = (await alertsOf(t.dataSource, id)).filter(
      (a) => a.condition === 'sbp_high' && a.status === 'open',
    );
    expect(open).toEqual([expect.objectContaining({ id: raised[1].data.alertId })]);
  });

  it('a BP measured before the resolve: committed before it stays judged, uploaded after it raises', async () => {
    const id = await liveSession();
    const phone = flow(t, token.patient, id);
    const takenAt = manual(t).now();
    await phone.vitals(takenAt, [
      ['bp_systolic', 186],
      ['bp_diastolic', 95],
    ]);
    await settle(t);
    // Committed before the resolve: on the clinician's screen when they judged the alert.
    manual(t).advance(10 * SECOND);
    await phone.vitals(new Date(takenAt.getTime() + 5 * SECOND), [
      ['bp_systolic', 188],
      ['bp_diastolic', 96],
    ]);
    await settle(t);
    manual(t).advance(10 * SECOND);
    const first = await resolveOne(id, 'sbp_high');
    manual(t).advance(MINUTE);
    await tick(t);
    expect(await raisedFor(id, 'sbp_high')).toHaveLength(1);

    // Measured 15 s after the first BP (before the resolve), sitting in the phone's outbox on a
    // poor network until now: the clinician never saw it, and a discrete BP raises at once.
    await phone.vitals(new Date(takenAt.getTime() + 15 * SECOND), [
      ['bp_systolic', 192],
      ['bp_diastolic', 97],
    ]);
    await settle(t);
    const raised = await raisedFor(id, 'sbp_high');
    expect(raised).toHaveLength(2);
    expect(raised[1].data).toMatchObject({ message: 'SBP 192 (limit 180)', priority: 'high' });
    expect(raised[1].data.alertId).not.toBe(first);
  });

  it('an engine rebuilt from the database still knows the resolve: the old BP raises nothing', async () => {
    const id = await liveSession();
    const phone = flow(t, token.patient, id);
    await phone.vitals(manual(t).now(), [
      ['bp_systolic', 186],
      ['bp_diastolic', 95],
    ]);
    await settle(t);
    await resolveOne(id, 'sbp_high');
    // Another instance, or a restart, with no engine state: it replays the log from seq 0.
    await t.dataSource.query(`DELETE FROM session_alert_state WHERE session_id = $1`, [id]);
    manual(t).advance(10 * SECOND);
    await tick(t);
    await phone.checkIn({ moaas: 5 });
    await settle(t);
    expect(await raisedFor(id, 'sbp_high')).toHaveLength(1);
  });

  it('an engine rebuilt from the database re-raises no resolved help press, symptom or MOAA/S', async () => {
    const id = await liveSession();
    const phone = flow(t, token.patient, id);
    await phone.help();
    await phone.checkIn({ moaas: 2, symptoms: ['chest_pain'] });
    await settle(t);
    const conditions = ['help', 'symptom_chest_pain', 'moaas_low'];
    for (const condition of conditions) await resolveOne(id, condition);
    // Another instance, or a restart, with no engine state: it replays the log from seq 0,
    // the press and the check-in before the clinician's resolves.
    await t.dataSource.query(`DELETE FROM session_alert_state WHERE session_id = $1`, [id]);
    manual(t).advance(10 * SECOND);
    await tick(t);
    await phone.vitals(manual(t).now(), [['resp_rate', 14]]);
    await settle(t);
    const raised = (await eventsOf(t.dataSource, id, 'alert.raised')).map((e) => e.data.condition);
    expect(raised.sort()).toEqual([...conditions].sort());
    // New evidence after the resolves still raises at once: a new press, a new MOAA/S 2.
    await phone.help();
    await phone.checkIn({ moaas: 2 });
    await settle(t);
    const open = (await alertsOf(t.dataSource, id)).filter((a) => a.status === 'open');
    expect(open.map((a) => [a.condition, a.priority]).sort()).toEqual([
      ['help', 'high'],
      ['moaas_low', 'high'],
    ]);
  });

  it('a device SpO2 stream still low after a resolve raises only after 15 s of post-resolve readings', async () => {
    const id = await liveSession();
    const phone = flow(t, token.patient, id);
    const stream = async (value: number, seconds: number) => {
      for (let i = 0; i < seconds; i += 1) {
        await phone.vitals(manual(t).now(), [['spo2', value]]);
        await settle(t);
        manual(t).advance(SECOND);
      }
    };
    await stream(89, 16);
    const first = await resolveOne(id, 'spo2_low');
    manual(t).advance(SECOND);
    await stream(89, 15); // readings 1..15 s after the resolve: held 14 s, not yet 15
    await tick(t);
    expect(await raisedFor(id, 'spo2_low')).toHaveLength(1);
    await stream(89, 1); // the reading 15 s after the first post-resolve one
    const raised = await raisedFor(id, 'spo2_low');
    expect(raised).toHaveLength(2);
    expect(raised[1].data).toMatchObject({ condition: 'spo2_low', priority: 'high' });
    expect(raised[1].data.alertId).not.toBe(first);
  });

  it('a help press after a resolve raises at once; a symptom reported again does too', async () => {
    const id = await liveSession();
    const phone = flow(t, token.patient, id);
    await phone.help();
    await phone.checkIn({ moaas: 5, symptoms: ['chest_pain'] });
    await settle(t);
    await resolveOne(id, 'help');
    await resolveOne(id, 'symptom_chest_pain');
    manual(t).advance(10 * SECOND);
    await tick(t);
    expect(await eventsOf(t.dataSource, id, 'alert.raised')).toHaveLength(2);
    await phone.help();
    await phone.checkIn({ moaas: 5, symptoms: ['chest_pain'] });
    await settle(t);
    const open = (await alertsOf(t.dataSource, id)).filter((a) => a.status === 'open');
    expect(open.map((a) => [a.condition, a.priority]).sort()).toEqual([
      ['help', 'high'],
      ['symptom_chest_pain', 'high'],
    ]);
  });

  /**
   * CLINICAL.md "A repeated help press updates the help alert (press count, time) and, if it was
   * acknowledged, opens it again (v2)". ARCHITECTURE.md: "Nothing is lost if this instance dies
   * mid-way: the watchdog catches up from last_seq". A second press committed but not yet judged
   * by the engine (an instance that died between commit and processing, or a busy pass) has
   * never been in front of the clinician; their resolve of the first press must not swallow it.
   * (Review rclin: the catch-up latched the second press and the resolve event, after it in the
   * log, cleared it in the same pass: no alert at all.)
   */
  it('a help press committed before a clinician resolves the earlier help alert, but not yet processed, still raises', async () => {
    const id = await liveSession();
    const phone = flow(t, token.patient, id);
    expect((await phone.help()).status).toBe(201);
    await settle(t);
    const [first] = (await alertsOf(t.dataSource, id)).filter((a) => a.condition === 'help');
    expect(first).toMatchObject({ priority: 'high', status: 'open' });
    expect((await act(first.id, 'acknowledge')).status).toBe(200);

    // The engine does not get to the second press before the clinician acts (as if this
    // instance had died right after its commit).
    const engine = t.app.get<unknown, { onCommitted: (events: unknown[]) => void }>(
      AlertEngineService,
    );
    const original = engine.onCommitted;
    engine.onCommitted = () => undefined;
    try {
      manual(t).advance(20 * SECOND);
      expect((await phone.help()).status).toBe(201);
      // The clinician, having spoken to the support person about the first press, resolves it.
      expect((await act(first.id, 'resolve', { note: 'spoke to support person' })).status).toBe(
        200,
      );
    } finally {
      engine.onCommitted = original;
    }
    manual(t).advance(SECOND);
    await tick(t);
    const help = (await alertsOf(t.dataSource, id)).filter(
      (a) => a.condition === 'help' && a.status !== 'resolved',
    );
    // The second press is in the log and the engine has caught up past it.
    expect(await eventsOf(t.dataSource, id, 'help.requested')).toHaveLength(2);
    const progress = await engineProgress(t, id);
    expect(progress.lastSeq).toBe(progress.head);
    expect(help).toEqual([
      expect.objectContaining({
        priority: 'high',
        status: 'open',
        message: 'Help requested',
      }),
    ]);

    // An engine rebuilt from the log meets both presses, the resolve between them and the alert
    // raised for the second: it raises nothing more and counts no press twice.
    await t.dataSource.query(`DELETE FROM session_alert_state WHERE session_id = $1`, [id]);
    manual(t).advance(SECOND);
    await tick(t);
    const after = (await alertsOf(t.dataSource, id)).filter((a) => a.condition === 'help');
    expect(after.map((a) => [a.status, a.message]).sort()).toEqual([
      ['open', 'Help requested'],
      ['resolved', 'Help requested'],
    ]);
    const updated = await eventsOf(t.dataSource, id, 'alert.updated');
    expect(updated.filter((e) => e.data.condition === 'help')).toEqual([]);
  });
});
