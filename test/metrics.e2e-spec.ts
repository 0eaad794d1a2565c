import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ClinicalWatchdogService } from '../apps/api/src/modules/alerts/clinical-watchdog.service';
import { DATABASE_FIGURE_TIMEOUT_MS } from '../apps/api/src/modules/metrics/vigil-metrics';
import { assign, http, login, makeSession, makeUser } from './support/factories';
import { freePort } from './support/global-setup';
import { connectLive, connected, submitCheckIn, type LiveClient } from './support/live-client';
import { createTestApp, type TestApp } from './support/test-app';

/** Prometheus metrics on their own port, after real traffic over REST and the socket. */
describe('metrics', () => {
  let t: TestApp;
  let metricsUrl: string;
  const sockets: LiveClient[] = [];
  let scraped = '';

  beforeAll(async () => {
    const port = await freePort();
    t = await createTestApp({ env: { METRICS_PORT: String(port), METRICS_HOST: '127.0.0.1' } });
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  const scrape = async () => {
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    return res.text();
  };
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('counts submissions, batches, ack latency, sockets by role, open alerts and the pool', async () => {
    const patient = await makeUser(t.dataSource, 'patient');
    const clinician = await makeUser(t.dataSource, 'clinician');
    await assign(t.dataSource, clinician, patient);
    const sessionId = await makeSession(t.dataSource, { patient, clinician });
    const p = await login(t.url, patient);
    const c = await login(t.url, clinician);
    const watcher = connectLive(t.url, c.accessToken);
    const phone = connectLive(t.url, p.accessToken);
    sockets.push(watcher, phone);
    await Promise.all([connected(watcher), connected(phone)]);
    expect(await submitCheckIn(phone, sessionId, randomUUID())).toMatchObject({ ok: true });
    const help = await http(t.url, 'POST', `/api/sessions/${sessionId}/help`, {
      token: p.accessToken,
      body: { clientId: randomUUID() },
    });
    expect(help.status).toBe(201);
    await t.app.get(ClinicalWatchdogService).tick();

    let text = await scrape();
    // The alert engine works after commit: wait for the help alert to show.
    for (let i = 0; i < 50 && !(value(text, 'vigil_alerts_open{priority="high"}') ?? 0); i++) {
      await new Promise((r) => setTimeout(r, 100));
      text = await scrape();
    }
    expect(value(text, 'vigil_submissions_total{outcome="appended"}')).toBe(2);
    expect(value(text, 'vigil_group_commit_batch_size_count')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'vigil_submission_ack_seconds_count')).toBe(2);
    expect(value(text, 'vigil_sockets_connected{role="clinician"}')).toBe(1);
    expect(value(text, 'vigil_sockets_connected{role="patient"}')).toBe(1);
    expect(value(text, 'vigil_alerts_open{priority="high"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'vigil_alert_engine_lag_events')).toBeGreaterThanOrEqual(0);
    expect(value(text, 'vigil_alert_escalations')).toBe(0);
    expect(value(text, 'vigil_watchdog_last_tick_age_seconds')).toBeLessThan(10);
    expect(value(text, 'vigil_pg_pool_connections{state="total"}')).toBeGreaterThan(0);
    expect(text).toMatch(/^vigil_process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^vigil_nodejs_eventloop_lag_seconds /m);
    scraped = text;
  });

  it('has every series the Grafana dashboard in deploy/ queries', () => {
    const dashboard = readFileSync(
      resolve(__dirname, '../deploy/grafana/vigil-dashboard.json'),
      'utf8',
    );
    const names = new Set(dashboard.match(/vigil_[a-z0-9_]+/g));
    expect(names.size).toBeGreaterThan(8);
    for (const name of names) expect(scraped).toMatch(new RegExp(`^${name}[ {]`, 'm'));
  });

  it("does not count its own database reads as the pool's waiting callers", async () => {
    // Nothing else uses the pool now, and it has idle connections: an operator alerting on
    // waiting callers must read 0, on every scrape.
    for (let i = 0; i < 3; i++) {
      const text = await scrape();
      expect(value(text, 'vigil_pg_pool_connections{state="idle"}')).toBeGreaterThan(0);
      expect(value(text, 'vigil_pg_pool_connections{state="waiting"}')).toBe(0);
    }
  });

  it('is not served on the public port, and nothing else is served on the metrics port', async () => {
    // (Where a dashboard build exists, /metrics on the public port is its index page.)
    expect(await (await fetch(`${t.url}/metrics`)).text()).not.toMatch(/vigil_/);
    expect((await fetch(`${t.url}/api/metrics`)).status).toBe(404);
    expect((await fetch(metricsUrl.replace('/metrics', '/api/health'))).status).toBe(404);
  });

  it('answers within its bound while the database does not answer, without the database figures', async () => {
    // The tables the database figures read, locked by another transaction: their reads wait, as
    // they would for a stalled database; the rest of the scrape must not.
    const blocker = t.dataSource.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    const figureReads = async (): Promise<number> => {
      const [row]: Array<{ n: string }> = await t.dataSource.query(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'
            AND (query LIKE '%session_alert_state%' OR query LIKE '%FROM alerts%')
            -- The metrics' own reads: a board's first summary of a session (readBoardSeeds, whose
            -- text is cut at 1 kB here) reads alerts too.
            AND query NOT LIKE 'SELECT s.id AS "sessionId"%'`,
      );
      return Number(row.n);
    };
    try {
      await blocker.query('LOCK TABLE alerts, session_alert_state IN ACCESS EXCLUSIVE MODE');
      const unanswered = (text: string, figure: string) =>
        value(text, `vigil_metrics_database_unanswered_total{figure="${figure}"}`) ?? 0;
      const before = await scrape();
      let started = Date.now();
      const text = await scrape();
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(DATABASE_FIGURE_TIMEOUT_MS - 50);
      expect(took).toBeLessThan(DATABASE_FIGURE_TIMEOUT_MS + 2000);
      expect(value(text, 'vigil_alert_engine_lag_events')).toBeNaN();
      expect(value(text, 'vigil_alert_escalations')).toBeNaN();
      expect(text).not.toMatch(/^vigil_alerts_open\{/m);
      for (const figure of ['alert_engine_lag', 'alerts_open', 'alert_escalations'])
        expect(unanswered(text, figure)).toBe(unanswered(before, figure) + 1);
      // What needs no database is there.
      expect(value(text, 'vigil_sockets_connected{role="clinician"}')).toBe(1);
      expect(value(text, 'vigil_pg_pool_connections{state="total"}')).toBeGreaterThan(0);
      expect(text).toMatch(/^vigil_nodejs_eventloop_lag_seconds /m);
      // A second scrape waits for the same reads rather than queueing three more.
      const waiting = await figureReads();
      expect(waiting).toBe(3);
      started = Date.now();
      await scrape();
      expect(Date.now() - started).toBeLessThan(DATABASE_FIGURE_TIMEOUT_MS + 2000);
      expect(await figureReads()).toBe(waiting);
    } finally {
      await blocker.rollbackTransaction();
      await blocker.release();
    }
    // The database answers again: so do the figures.
    let text = await scrape();
    for (let i = 0; i < 20 && Number.isNaN(value(text, 'vigil_alert_engine_lag_events')); i++)
      text = await scrape();
    expect(value(text, 'vigil_alert_engine_lag_events')).toBeGreaterThanOrEqual(0);
    expect(value(text, 'vigil_alerts_open{priority="high"}')).toBeGreaterThanOrEqual(1);
  });
});
