import { isAlive, npmStart, waitFor, waitForHealth, type NpmStartRun } from './support/npm-start';

/**
 * SMOKE TEST (slow: usually 20-40 s, allowed up to 3 minutes on a loaded machine): `npm start` exactly as a newcomer runs it, on a fresh data folder
 * and free ports. It builds whatever is missing (CI has built nothing), starts the embedded
 * PostgreSQL, the API and the simulator, and must show a live board; Ctrl-C (SIGINT) must then
 * leave no process of the run behind. The browser half is test/browser/smoke.browser-spec.ts.
 */
interface LiveSession {
  id: string;
  headSeq: number;
}

describe('SMOKE: npm start on a fresh machine', () => {
  let run: NpmStartRun;
  const pids = new Set<number>();

  beforeAll(async () => {
    run = await npmStart();
  });
  afterAll(() => run.cleanUp(pids));

  it('builds, starts and answers /api/health', async () => {
    await waitForHealth(run, 170_000);
    expect(run.output()).toContain('[vigil]   URL:');
  }, 180_000);

  it('shows clinician@vigil.demo at least 5 live sessions with events arriving', async () => {
    const login = await fetch(`${run.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'clinician@vigil.demo', password: 'vigil-demo' }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const live = async () => {
      const res = await fetch(`${run.url}/api/sessions?state=live`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      return (await res.json()) as LiveSession[];
    };
    await waitFor('5 live sessions', 30_000, async () => {
      const sessions = await live();
      return sessions.length >= 5 ? sessions : null;
    });
    // A session counts once its head moved past the first head this test saw of it, whenever it
    // first appeared: the simulator starts sessions in screening and replaces ended ones, so the
    // first five listed are not always the five that stream.
    const firstSeen = new Map<string, number>();
    const advancing = await waitFor('events on 5 sessions', 60_000, async () => {
      const sessions = await live();
      for (const s of sessions) if (!firstSeen.has(s.id)) firstSeen.set(s.id, s.headSeq);
      const moved = sessions.filter((s) => s.headSeq > (firstSeen.get(s.id) ?? Infinity));
      return moved.length >= 5 ? moved : null;
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n--- npm start output ---\n${run.output().slice(-4000)}`);
    });
    expect(advancing.length).toBeGreaterThanOrEqual(5);
  }, 100_000);

  it('stops everything on Ctrl-C: simulator, API and embedded PostgreSQL', async () => {
    for (const pid of run.descendants()) pids.add(pid);
    // The API, the simulator and the postgres postmaster at least.
    expect(pids.size).toBeGreaterThanOrEqual(3);
    const exited = new Promise<number | null>((r) => run.process.once('exit', (code) => r(code)));
    run.process.kill('SIGINT');
    expect(await exited).toBe(0);
    await waitFor('every process of the run to end', 10_000, () =>
      Promise.resolve([...pids].some(isAlive) ? null : true),
    );
    expect([...pids].filter(isAlive)).toEqual([]);
  }, 20_000);
});
