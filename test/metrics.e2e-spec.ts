import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ClinicalWatchdogService } from '../apps/api/src/modules/alerts/clinical-watchdog.service';
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

  it('is not served on the public port, and nothing else is served on the metrics port', async () => {
    // (Where a dashboard build exists, /metrics on the public port is its index page.)
    expect(await (await fetch(`${t.url}/metrics`)).text()).not.toMatch(/vigil_/);
    expect((await fetch(`${t.url}/api/metrics`)).status).toBe(404);
    expect((await fetch(metricsUrl.replace('/metrics', '/api/health'))).status).toBe(404);
  });
});
