/**
 * Time-based alerts across a restart of the API (split from alert-time-conditions.e2e-spec.ts):
 * CLINICAL.md v2 "One open alert per session and condition"; a silence and a reminder due during
 * the restart come once, not twice.
 */
import { ManualClock } from '../apps/api/src/common/clock';
import { assign, http, login, makeSession, makeUser } from './support/factories';
import { createTestApp, createTestDatabase } from './support/test-app';
import { alertsOf, eventsOf, flow, MINUTE, settle, tick } from './support/clinical';

const SECOND = 1000;

describe('restarts in the middle of a silence and an escalation', () => {
  it('after a restart a silence is remembered, the reminder comes once, nothing raised twice', async () => {
    const db = await createTestDatabase();
    const clock = new ManualClock(new Date());
    let app = await createTestApp({ databaseUrl: db.url, clock });
    try {
      const patient = await makeUser(app.dataSource, 'patient');
      const clinician = await makeUser(app.dataSource, 'clinician');
      await assign(app.dataSource, clinician, patient);
      const ptoken = (await login(app.url, patient)).accessToken;
      const id = await makeSession(app.dataSource, {
        patient,
        clinician,
        state: 'monitoring',
        dosedAt: clock.now(),
      });
      await flow(app, ptoken, id).help();
      await settle(app);
      clock.advance(2 * MINUTE);
      await tick(app); // escalate at 2 min
      clock.advance(30 * SECOND);
      const help = (await alertsOf(app.dataSource, id)).find((a) => a.condition === 'help')!;
      const ctoken = (await login(app.url, clinician)).accessToken;
      const s = await http(app.url, 'POST', `/api/alerts/${help.id}/silence`, {
        token: ctoken,
        body: { minutes: 2 },
      }); // silenced until 4:30
      expect(s.status).toBe(200);
      await app.close();

      app = await createTestApp({ databaseUrl: db.url, clock });
      clock.set(new Date(clock.now().getTime() + 1 * MINUTE + 40 * SECOND)); // 4:10
      await tick(app);
      expect(await eventsOf(app.dataSource, id, 'alert.escalated')).toHaveLength(1);
      clock.advance(30 * SECOND); // 4:40
      await tick(app);
      await tick(app);
      const esc = await eventsOf(app.dataSource, id, 'alert.escalated');
      expect(esc.map((e) => e.data.step)).toEqual(['escalate', 'remind']);
      const raised = await eventsOf(app.dataSource, id, 'alert.raised');
      const counts = new Map<string, number>();
      for (const e of raised)
        counts.set(String(e.data.condition), (counts.get(String(e.data.condition)) ?? 0) + 1);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await app.close();
      await db.drop();
    }
  }, 120_000);
});
