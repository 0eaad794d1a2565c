import { assign, login, makeSession, makeUser } from './support/factories';
import { createTestApp, UNLIMITED_REST, type TestApp } from './support/test-app';
import { flow, manual, MINUTE, settle, tick } from './support/clinical';

type Scenario = 'normal' | 'hypertension' | 'desaturation' | 'sedation' | 'missed' | 'help';

/** The alert each injected adverse event must raise, and its priority. */
const EXPECTED: Record<Exclude<Scenario, 'normal'>, { condition: string; priority: string }> = {
  hypertension: { condition: 'sbp_high', priority: 'high' },
  desaturation: { condition: 'spo2_low', priority: 'high' },
  sedation: { condition: 'moaas_low', priority: 'high' },
  missed: { condition: 'checkin_overdue', priority: 'high' },
  help: { condition: 'help', priority: 'high' },
};

const NORMAL_SESSIONS = 6;
const TRIALS_PER_ADVERSE = 3;
const SECOND = 1000;

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('replay: two-hour simulated sessions fed over REST', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Two simulated hours per session go by in seconds of real time on the test's clock, while the
    // REST limit counts real minutes: lifted here, as rest-rate-limit.e2e-spec.ts tests it.
    t = await createTestApp({ env: UNLIMITED_REST });
  });
  afterAll(() => t.close());

  it('a normal session raises at most one alert; each injected adverse event raises its alert every time', async () => {
    const rnd = random(42);
    const between = (lo: number, hi: number) => lo + Math.round(rnd() * (hi - lo));
    const patient = await makeUser(t.dataSource, 'patient');
    const clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    const token = (await login(t.url, patient)).accessToken;
    const scenarios: Scenario[] = [
      ...Array<Scenario>(NORMAL_SESSIONS).fill('normal'),
      ...(Object.keys(EXPECTED) as Scenario[]).flatMap((s) =>
        Array<Scenario>(TRIALS_PER_ADVERSE).fill(s),
      ),
    ];
    const sessions = await Promise.all(
      scenarios.map(async (scenario) => {
        const id = await makeSession(t.dataSource, {
          patient,
          clinician,
          state: 'scheduled',
          dosedAt: null,
        });
        return { id, scenario, phone: flow(t, token, id) };
      }),
    );
    for (const s of sessions) {
      expect((await s.phone.screening()).body.state).toBe('ready');
      expect((await s.phone.dose(manual(t).now())).status).toBe(201);
      expect((await s.phone.transition('start_monitoring')).body.state).toBe('monitoring');
    }

    const ok = (r: { status: number }) => expect(r.status).toBe(201);
    for (let minute = 1; minute <= 120; minute += 1) {
      manual(t).advance(MINUTE);
      const now = manual(t).now();
      await Promise.all(
        sessions.map(async ({ scenario, phone }) => {
          const readings: Array<[string, number]> = [
            ['heart_rate', between(62, 92)],
            ['spo2', between(95, 99)],
            ['resp_rate', between(12, 18)],
          ];
          if (minute % 15 === 0 || minute === 45) {
            readings.push(['bp_systolic', between(116, 138)], ['bp_diastolic', between(70, 86)]);
          }
          if (scenario === 'hypertension' && minute === 45) {
            readings.splice(3, 2, ['bp_systolic', 188], ['bp_diastolic', 104]);
          }
          ok(await phone.vitals(now, readings));
          if (minute % 15 === 0 && !(scenario === 'missed' && minute >= 30)) {
            const sedated = scenario === 'sedation' && minute === 60;
            ok(
              await phone.checkIn({
                moaas: sedated ? 2 : 5,
                dissociation: minute <= 60 ? between(2, 6) : between(0, 2),
                nausea: between(0, 2),
              }),
            );
          }
          if (scenario === 'help' && minute === 75) ok(await phone.help());
        }),
      );
      if (minute === 30) await desaturate(sessions.filter((s) => s.scenario === 'desaturation'));
      await tick(t);
    }
    await settle(t);

    const rows: Array<{ session_id: string; condition: string; priority: string }> =
      await t.dataSource.query(
        `SELECT session_id, condition, priority FROM alerts WHERE session_id = ANY($1::uuid[])`,
        [sessions.map((s) => s.id)],
      );
    const normalCounts = sessions
      .filter((s) => s.scenario === 'normal')
      .map((s) => rows.filter((r) => r.session_id === s.id).length);
    const hits: Record<string, string> = {};
    for (const [scenario, expected] of Object.entries(EXPECTED)) {
      const trials = sessions.filter((s) => s.scenario === scenario);
      const raised = trials.filter((s) =>
        rows.some(
          (r) =>
            r.session_id === s.id &&
            r.condition === expected.condition &&
            r.priority === expected.priority,
        ),
      );
      hits[scenario] = `${raised.length}/${trials.length}`;
    }
    console.log(
      `replay over 120 min: normal sessions raised [${normalCounts.join(', ')}] alerts ` +
        `(max ${Math.max(...normalCounts)}); expected alert raised: ${JSON.stringify(hits)}`,
    );
    expect(Math.max(...normalCounts)).toBeLessThanOrEqual(1);
    for (const value of Object.values(hits)) {
      const [got, of] = value.split('/');
      expect(got).toBe(of);
    }
    // About 3,000 REST requests: under a minute on a quiet machine, past two minutes at load 18.
  }, 600_000);

  /** 1 Hz SpO2: 10 s normal, a 10 s dip (must not alert), 10 s normal, then 20 s at 89%. */
  async function desaturate(trials: Array<{ id: string; phone: ReturnType<typeof flow> }>) {
    const plan = [
      ...Array<number>(10).fill(97),
      ...Array<number>(10).fill(89),
      ...Array<number>(10).fill(97),
      ...Array<number>(20).fill(89),
    ];
    for (const [i, value] of plan.entries()) {
      manual(t).advance(SECOND);
      const now = manual(t).now();
      await Promise.all(trials.map((s) => s.phone.vitals(now, [['spo2', value]])));
      await settle(t);
      if (i === 29) {
        // After the short dip: nothing raised yet, the 15 s delay absorbed it.
        const raised: unknown[] = await t.dataSource.query(
          `SELECT 1 FROM alerts WHERE session_id = ANY($1::uuid[]) AND condition = 'spo2_low'`,
          [trials.map((s) => s.id)],
        );
        expect(raised).toEqual([]);
      }
    }
    manual(t).advance(SECOND);
    await Promise.all(trials.map((s) => s.phone.vitals(manual(t).now(), [['spo2', 97]])));
  }
});
