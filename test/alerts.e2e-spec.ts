import { assign, http, login, makeSession, makeUser, type TestUser } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';
import { alertsOf, eventsOf, flow, manual, MINUTE, settle, tick } from './support/clinical';

describe('alerts: raised from events, re-triggered, escalated, acted on', () => {
  let t: TestApp;
  let patient: TestUser;
  let clinician: TestUser;
  let stranger: TestUser;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    patient = await makeUser(t.dataSource, 'patient');
    clinician = await makeUser(t.dataSource, 'clinician');
    stranger = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    tokens.patient = (await login(t.url, patient)).accessToken;
    tokens.clinician = (await login(t.url, clinician)).accessToken;
    tokens.stranger = (await login(t.url, stranger)).accessToken;
  });
  afterAll(() => t.close());

  /** A session dosed now (on the test clock), being monitored. */
  const liveSession = () =>
    makeSession(t.dataSource, {
      patient,
      clinician,
      state: 'monitoring',
      dosedAt: manual(t).now(),
    });
  const raisedEvents = async (sessionId: string) => {
    const res = await http(t.url, 'GET', `/api/sessions/${sessionId}/events`, {
      token: tokens.clinician,
    });
    expect(res.status).toBe(200);
    return (res.body.events as Array<{ type: string; data: Record<string, unknown> }>).filter(
      (e) => e.type === 'alert.raised',
    );
  };
  const act = (alertId: string, action: string, body?: unknown, token = tokens.clinician) =>
    http(t.url, 'POST', `/api/alerts/${alertId}/${action}`, { token, body });

  it('SBP 186 raises exactly one high alert "SBP 186 (limit 180)"; a re-trigger updates it, a normal BP resolves it', async () => {
    const id = await liveSession();
    const phone = flow(t, tokens.patient, id);
    await phone.vitals(manual(t).now(), [
      ['bp_systolic', 186],
      ['bp_diastolic', 96],
    ]);
    await settle(t);
    const high = (await raisedEvents(id)).filter((e) => e.data.priority === 'high');
    expect(high).toHaveLength(1);
    expect(high[0].data).toMatchObject({
      alertId: expect.any(String),
      priority: 'high',
      condition: 'sbp_high',
      message: 'SBP 186 (limit 180)',
    });
    const alertId = high[0].data.alertId as string;

    manual(t).advance(MINUTE);
    await phone.vitals(manual(t).now(), [
      ['bp_systolic', 192],
      ['bp_diastolic', 97],
    ]);
    await settle(t);
    const sbp = (await alertsOf(t.dataSource, id)).filter((a) => a.condition === 'sbp_high');
    expect(sbp).toHaveLength(1);
    expect(sbp[0]).toMatchObject({
      id: alertId,
      status: 'open',
      message: 'SBP 192 (limit 180)',
    });
    // v1.1: raised once; the re-trigger is an alert.updated for the same alert.
    const again = (await raisedEvents(id)).filter((e) => e.data.condition === 'sbp_high');
    expect(again.map((e) => e.data.alertId)).toEqual([alertId]);
    const updates = await eventsOf(t.dataSource, id, 'alert.updated');
    expect(updates.map((e) => e.data)).toEqual([
      expect.objectContaining({
        alertId,
        reason: 'value',
        previousPriority: 'high',
        message: 'SBP 192 (limit 180)',
      }),
    ]);
    expect(updates[0].data).not.toHaveProperty('reopened');

    manual(t).advance(MINUTE);
    await phone.vitals(manual(t).now(), [
      ['bp_systolic', 128],
      ['bp_diastolic', 82],
    ]);
    await settle(t);
    const resolved = await eventsOf(t.dataSource, id, 'alert.resolved');
    expect(resolved.map((e) => e.data.alertId)).toContain(alertId);
    expect((await alertsOf(t.dataSource, id)).every((a) => a.status === 'resolved')).toBe(true);
  });

  it('help raises a high alert at once, without waiting for a tick', async () => {
    const id = await liveSession();
    const res = await flow(t, tokens.patient, id).help();
    expect(res.status).toBe(201);
    await settle(t);
    const alerts = await alertsOf(t.dataSource, id);
    expect(alerts).toEqual([
      expect.objectContaining({ condition: 'help', priority: 'high', message: 'Help requested' }),
    ]);
    const [raised] = await eventsOf(t.dataSource, id, 'alert.raised');
    expect(Number(raised.seq)).toBe(res.body.seq + 1);
  });

  it('a missed check-in raises medium at 20 min and high at 25 min; the next check-in resolves it', async () => {
    const id = await liveSession();
    const overdue = async () =>
      (await alertsOf(t.dataSource, id)).filter((a) => a.condition === 'checkin_overdue');
    manual(t).advance(19 * MINUTE + 59_000);
    await tick(t);
    expect(await overdue()).toEqual([]);
    manual(t).advance(1000);
    await tick(t);
    expect(await overdue()).toEqual([
      expect.objectContaining({ priority: 'medium', message: 'No check-in for 20 min' }),
    ]);
    manual(t).advance(5 * MINUTE);
    await tick(t);
    const [alert] = await overdue();
    expect(alert).toMatchObject({ priority: 'high', message: 'No check-in for 25 min' });
    expect(await overdue()).toHaveLength(1);
    await flow(t, tokens.patient, id).checkIn({ moaas: 5 });
    await settle(t);
    expect((await overdue())[0].status).toBe('resolved');
  });

  it('escalates an unacknowledged high alert at 2 min with reminders every 2 min; acknowledging stops them', async () => {
    const id = await liveSession();
    await flow(t, tokens.patient, id).help();
    await settle(t);
    const [alert] = await alertsOf(t.dataSource, id);
    const escalations = async () => (await eventsOf(t.dataSource, id, 'alert.escalated')).length;
    manual(t).advance(MINUTE + 59_000);
    await tick(t);
    expect(await escalations()).toBe(0);
    manual(t).advance(1000);
    await tick(t);
    expect(await escalations()).toBe(1);
    await tick(t);
    expect(await escalations()).toBe(1);
    manual(t).advance(2 * MINUTE);
    await tick(t);
    const events = await eventsOf(t.dataSource, id, 'alert.escalated');
    expect(events.map((e) => e.data.step)).toEqual(['escalate', 'remind']);
    expect(events[0].data).toMatchObject({ alertId: alert.id, priority: 'high', to: 'supervisor' });

    const ack = await act(alert.id, 'acknowledge');
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: clinician.id });
    manual(t).advance(10 * MINUTE);
    await tick(t);
    expect(await escalations()).toBe(2);
    expect((await act(alert.id, 'acknowledge')).status).toBe(200); // idempotent, no new event
    expect((await eventsOf(t.dataSource, id, 'alert.acknowledged')).length).toBe(1);
  });

  it('silences for at most 2 minutes with the end time in the event; resolve needs a note and clears help', async () => {
    const id = await liveSession();
    await flow(t, tokens.patient, id).help();
    await settle(t);
    const [alert] = await alertsOf(t.dataSource, id);
    const tooLong = await act(alert.id, 'silence', { minutes: 5 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toMatch(/^minutes: must be at most 2/);
    const silenced = await act(alert.id, 'silence', { minutes: 2 });
    expect(silenced.status).toBe(200);
    const until = new Date(manual(t).now().getTime() + 2 * MINUTE).toISOString();
    expect(silenced.body.silencedUntil).toBe(until);
    const [event] = await eventsOf(t.dataSource, id, 'alert.silenced');
    expect(event.data).toMatchObject({ alertId: alert.id, silencedUntil: until, minutes: 2 });

    expect((await act(alert.id, 'resolve', {})).body.message).toMatch(/^note: /);
    const resolved = await act(alert.id, 'resolve', { note: 'Called patient: pressed by mistake' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: clinician.id });
    await flow(t, tokens.patient, id).checkIn({ moaas: 5 });
    await settle(t);
    expect((await alertsOf(t.dataSource, id)).filter((a) => a.status !== 'resolved')).toEqual([]);
    expect((await act(alert.id, 'resolve', { note: 'again' })).status).toBe(409);
  });

  it('lets only the assigned clinician act (patient 403, stranger 404) and audits the list read', async () => {
    const id = await liveSession();
    await flow(t, tokens.patient, id).help();
    await settle(t);
    const [alert] = await alertsOf(t.dataSource, id);
    const byPatient = await act(alert.id, 'acknowledge', undefined, tokens.patient);
    expect(byPatient.status).toBe(403);
    expect(byPatient.body.message).toMatch(/^role: /);
    expect((await act(alert.id, 'acknowledge', undefined, tokens.stranger)).status).toBe(404);
    expect((await act('not-a-uuid', 'acknowledge')).status).toBe(404);
    const hidden = await http(t.url, 'GET', `/api/sessions/${id}/alerts`, {
      token: tokens.stranger,
    });
    expect(hidden.status).toBe(404);
    const list = await http(t.url, 'GET', `/api/sessions/${id}/alerts`, {
      token: tokens.clinician,
    });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({ id: alert.id, condition: 'help', status: 'open', sessionId: id }),
    ]);
    const audit = await t.dataSource.query(
      `SELECT outcome FROM audit_events WHERE action = 'session.alerts.read' AND entity_id = $1 ORDER BY id`,
      [id],
    );
    expect(audit.map((r: { outcome: string }) => r.outcome)).toEqual(['denied', 'success']);
  });
});
