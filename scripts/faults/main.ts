// npm run test:faults [-- --short] [-- --soak 10m] [-- --only kill,redis]
// Real processes under real faults: two API instances sharing PostgreSQL and a Redis of the
// run's own, phones submitting through retrying outboxes, clinician boards on both instances.
// Prints one row per scenario: load, acked, stored, lost, duplicates, gaps, board convergence,
// ingest recovery, crashes. Exits 1 when any target is missed (0 lost, 0 duplicates, 0 gaps,
// 0 crashes, every board equal to the database within 5 s).
import { loadavg as osLoadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { assign, login, makeSession, makeUser } from '../../test/support/factories';
import { freePort } from '../../test/support/global-setup';
import { resolve } from 'node:path';
import {
  HAVE_REDIS_SERVER,
  Instance,
  OwnRedis,
  buildApi,
  openDatabase,
  probesDuringStall,
} from './cluster';
import { databaseScenarios } from './database';
import { Ledger, Phone, Watcher, waitUntil } from './load';
import { fmt, printTable, rows, type Row, type Scenario } from './report';
import { StallProxy } from '../../test/support/stall-proxy';
import { convergence, recoveryMs, verify } from './verify';
import { duplicateStorm } from './duplicate-storm';
import { parseDuration, rssGrowth, sampleRss } from './soak';
import { setTimeout as sleep } from 'node:timers/promises';

const { values } = parseArgs({
  options: {
    short: {
      type: 'boolean',
      default: process.env.CI === 'true' || process.env.FAULTS_SHORT === '1',
    },
    soak: { type: 'string' },
    only: { type: 'string' },
    phones: { type: 'string' },
    rate: { type: 'string' },
    /** Run apps/api/src/main.ts through ts-node instead of building (slower boots). */
    ts: { type: 'boolean', default: false },
  },
});
const SHORT = values.short ?? false;
/** The full run's reconnect storm is 300 phones; the short one (CI) takes 100 to stay quick. */
const PHONES = Number(values.phones ?? (SHORT ? 100 : 300));
const HZ = Number(values.rate ?? (SHORT ? 0.3 : 0.4));
const WARM_MS = SHORT ? 2000 : 10_000;
const AFTER_MS = SHORT ? 5000 : 20_000;
const REDIS_OUTAGE_MS = SHORT ? 5000 : 10_000;
const AWAY_MS = SHORT ? 8000 : 120_000;
/** Past the phones' 10 s ack timeout in the full run; under it in the short one. */
const STALL_MS = SHORT ? 8000 : 30_000;
const CONVERGE_TARGET_MS = 5000;

/** What to stop if the run fails half-way: no instance or redis-server outlives the runner. */
const cleanups: Array<() => Promise<unknown>> = [];

async function main(): Promise<void> {
  const t0 = Date.now();
  const db = await openDatabase();
  const redis = HAVE_REDIS_SERVER ? new OwnRedis(await freePort()) : null;
  await redis?.start();
  // Redis too is reached through a proxy that can stall (its own restarts go through it as well).
  const redisProxy = redis ? await StallProxy.inFrontOf(redis.url) : null;
  const env: Record<string, string> = {
    ...(redis && redisProxy ? { REDIS_URL: redisProxy.urlFor(redis.url) } : {}),
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    SHUTDOWN_DRAIN_MS: '0',
  };
  const builtMain = values.ts ? undefined : buildApi(resolve(__dirname, '../..'));
  // The instances reach PostgreSQL through a proxy that can stall; the runner's own reads do not.
  const proxy = await StallProxy.inFrontOf(db.url);
  // A's Prometheus metrics, scraped during the database stalls.
  const metricsPort = await freePort();
  const a = new Instance(
    'A',
    await freePort(),
    proxy.urlFor(db.url),
    { ...env, METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1' },
    builtMain,
  );
  const b = new Instance('B', await freePort(), proxy.urlFor(db.url), env, builtMain);
  cleanups.push(
    () => Promise.all([a.kill(), b.kill()]),
    () => proxy.close(),
    async () => redisProxy?.close(),
    async () => redis?.kill(),
    () => db.close(),
  );
  console.log(
    `[faults] ${SHORT ? 'short' : 'full'} run: ${PHONES} phones at ${HZ} Hz (${PHONES * HZ}/s), ` +
      `two instances, ${db.where}, ${redis ? `own redis-server :${redis.port}` : 'NO redis-server (Redis scenarios skipped)'}`,
  );
  const bootA = await a.start(); // runs the migrations
  const bootB = await b.start();
  console.log(`[faults] instances up (A ${fmt(bootA)} s, B ${fmt(bootB)} s)`);
  await db.dataSource.initialize();
  const ds = db.dataSource;

  // One clinician per instance watching every session; phones alternate between instances.
  const clinician = await makeUser(ds, 'clinician');
  const clinician2 = await makeUser(ds, 'clinician');
  const sessionIds: string[] = [];
  const patients = [];
  for (let i = 0; i < PHONES; i++) {
    const patient = await makeUser(ds, 'patient');
    await assign(ds, clinician, patient);
    await assign(ds, clinician2, patient);
    sessionIds.push(await makeSession(ds, { patient, clinician }));
    patients.push(patient);
  }
  const tokens = new Array<string>(PHONES);
  // Logins (argon2) on both instances at once: one per core.
  for (let i = 0; i < PHONES; i += 8)
    await Promise.all(
      patients
        .slice(i, i + 8)
        .map(async (p, k) => (tokens[i + k] = (await login([a, b][k % 2].url, p)).accessToken)),
    );
  const clinicianTokens = [
    (await login(a.url, clinician)).accessToken,
    (await login(b.url, clinician2)).accessToken,
  ];
  const ledger = new Ledger();
  const instances = [a, b];
  const phones = tokens.map(
    (token, i) => new Phone(i, sessionIds[i], token, instances[i % 2].url, ledger),
  );
  const watchers = [
    new Watcher('board on A', a.url, clinicianTokens[0], sessionIds),
    new Watcher('board on B', b.url, clinicianTokens[1], sessionIds),
  ];
  /** Waits until every board is told (`server.status`) that cross-instance delivery is `state`. */
  const boardsTold = (state: 'ok' | 'degraded', ms: number, what = `boards told ${state}`) =>
    waitUntil(what, () => watchers.every((w) => w.crossInstance.state === state), ms);
  await waitUntil('sockets connected', () => phones.every((p) => p.connected), 60_000);
  const synced = await convergence(ds, watchers, sessionIds, 60_000);
  if (synced === null) throw new Error('the boards never caught up with the database at start');
  console.log(`[faults] setup done in ${fmt(Date.now() - t0)} s`);
  const crashes = () => a.crashes + b.crashes;
  const rejections = () => a.count() + b.count();

  const load = (tag: string) => {
    phones.forEach((p, i) => {
      p.tag = tag;
      p.start(HZ, i / PHONES);
    });
  };
  const quiesce = async () => {
    phones.forEach((p) => p.stop());
    await waitUntil('outboxes drained', () => phones.every((p) => p.pending === 0), 90_000);
  };

  const scenario: Scenario = async (name, fault, opts = {}) => {
    if (values.only && !values.only.split(',').some((o) => name.startsWith(o))) return;
    const tag = `${name.split(' ')[0]}${Date.now().toString(36)}`;
    const crashes0 = crashes();
    const rejections0 = rejections();
    const withLoad = opts.withLoad ?? true;
    if (withLoad) load(tag);
    else phones.forEach((p) => (p.tag = tag));
    await sleep(WARM_MS);
    const { healedAt, note, wrong = 0 } = await fault();
    await sleep(AFTER_MS);
    const endOfLoad = Date.now();
    await quiesce();
    const converge = await convergence(ds, watchers, sessionIds, 30_000);
    const s = await verify(ds, ledger, tag, sessionIds);
    const recovery = withLoad
      ? recoveryMs(ledger.ackTimes, healedAt, endOfLoad, PHONES * HZ)
      : null;
    const c = crashes() - crashes0;
    const rej = rejections() - rejections0;
    const row: Row = {
      scenario: name,
      load: withLoad ? `${PHONES * HZ}/s` : '-',
      ...s,
      convergeS: fmt(converge),
      recoveryS: withLoad ? fmt(recovery) : '-',
      crashes: c,
      note: [
        note,
        rej ? `${rej} unhandled rejection(s) logged` : '',
        watchers.some((w) => w.skipped) ? 'board skipped seqs' : '',
      ]
        .filter(Boolean)
        .join('; '),
      pass:
        (!withLoad || s.acked > 0) &&
        s.lost === 0 &&
        s.duplicates === 0 &&
        s.gaps === 0 &&
        wrong === 0 &&
        c === 0 &&
        converge !== null &&
        converge <= CONVERGE_TARGET_MS,
    };
    rows.push(row);
    console.log(
      `[faults] ${name}: acked ${s.acked}, lost ${s.lost}, dup ${s.duplicates}, gaps ${s.gaps}, ` +
        `converge ${row.convergeS} s, recovery ${row.recoveryS} s${row.note ? `, ${row.note}` : ''}`,
    );
  };

  await scenario('baseline (no fault)', () => Promise.resolve({ healedAt: Date.now() }));

  await scenario('kill -9 instance B under load', async () => {
    await b.kill();
    await sleep(1000);
    const boot = await b.start();
    const healedAt = Date.now();
    const back = await waitUntil('phones back', () => phones.every((p) => p.connected), 60_000);
    return {
      healedAt,
      note: `B restarted in ${fmt(boot)} s; its phones back ${fmt(back)} s later`,
    };
  });

  await databaseScenarios(scenario, {
    ds,
    proxy,
    ledger,
    a,
    metricsPort,
    stallMs: STALL_MS,
    afterMs: AFTER_MS,
  });

  if (redisProxy)
    await scenario(`Redis stalls ${STALL_MS / 1000} s, then answers`, async () => {
      // The boards are on both instances and the phones alternate: each board's events from the
      // other instance's phones go through Redis, and during the stall only by the head sweep.
      redisProxy.stall('both');
      const stalledAt = Date.now();
      const [probes] = await Promise.all([probesDuringStall(a, metricsPort), sleep(STALL_MS)]);
      const told = watchers.map((w) =>
        w.crossInstance.state === 'degraded'
          ? `${w.name} told degraded ${fmt(w.crossInstance.at - stalledAt)} s in`
          : `${w.name} NOT told (${w.crossInstance.state})`,
      );
      redisProxy.resume();
      const healedAt = Date.now();
      await boardsTold('ok', 15_000);
      return {
        healedAt,
        note: `${probes}; ${told.join(', ')}; told ok ${fmt(Date.now() - healedAt)} s after`,
        wrong:
          told.filter((t) => t.includes('NOT')).length + (probes.startsWith('ready 200') ? 0 : 1),
      };
    });

  if (redisProxy)
    await scenario('Redis connections forgotten (a NAT dropped them)', async () => {
      // Nothing closed, nothing through the open connections ever again; new ones pass. The
      // instances must see it (no echo), let the quiet connections time out and open new ones.
      redisProxy.abandon();
      const lostAt = Date.now();
      await boardsTold('degraded', 15_000);
      const told = watchers.map((w) => `${w.name} ${fmt(w.crossInstance.at - lostAt)} s`);
      await boardsTold('ok', 40_000, 'boards told ok on new connections');
      const healedAt = Date.now();
      return {
        healedAt,
        note: `told degraded: ${told.join(', ')}; ok on new connections ${fmt(healedAt - lostAt)} s in`,
        wrong: 0,
      };
    });

  if (redis)
    await scenario(`Redis stop, start ${REDIS_OUTAGE_MS / 1000} s later`, async () => {
      await redis.kill();
      // Every instance shares Redis: readiness must not fail for it (that would take them all
      // out of rotation); the metrics say it.
      const [probes] = await Promise.all([
        probesDuringStall(a, metricsPort),
        sleep(REDIS_OUTAGE_MS),
      ]);
      await redis.start();
      return { healedAt: Date.now(), note: probes, wrong: probes.startsWith('ready 200') ? 0 : 1 };
    });

  await scenario(`reconnect storm: both instances kill -9, ${PHONES + 2} sockets`, async () => {
    await Promise.all([a.kill(), b.kill()]);
    await sleep(500);
    const boots = await Promise.all([a.start(), b.start()]);
    const healedAt = Date.now();
    const back = await waitUntil(
      'all sockets back',
      () => phones.every((p) => p.connected) && watchers.every((w) => w.connected),
      60_000,
    );
    return {
      healedAt,
      note: `instances up in ${boots.map(fmt).join('/')} s; ${PHONES + 2} sockets back ${fmt(back)} s after`,
    };
  });

  await scenario('duplicate storm (acked clientIds resent 3x on both instances)', async () => {
    const { wrong, note } = await duplicateStorm(phones, instances);
    return { healedAt: Date.now(), wrong, note };
  });

  await scenario(`long disconnect: board on B away ${AWAY_MS / 1000} s`, async () => {
    const w = watchers[1];
    w.disconnect();
    await sleep(AWAY_MS);
    w.reconnect();
    return { healedAt: Date.now() };
  });

  if (values.soak) {
    const tag = `soak${Date.now().toString(36)}`;
    load(tag);
    await sleep(60_000); // warm: caches, pools and JIT settle before the first sample
    const series = await sampleRss([a, b], parseDuration(values.soak));
    await quiesce();
    const converge = await convergence(ds, watchers, sessionIds, 30_000);
    const s = await verify(ds, ledger, tag, sessionIds);
    const { first, last, growth, perMinute } = rssGrowth(series);
    console.log(`[faults] soak RSS A/B MB each minute: ${perMinute}`);
    rows.push({
      scenario: `soak ${values.soak}`,
      load: `${PHONES * HZ}/s`,
      ...s,
      convergeS: fmt(converge),
      recoveryS: '-',
      crashes: crashes(),
      note: `RSS (median of 5 readings) A ${first[0].toFixed(0)}->${last[0].toFixed(0)} MB (${growth[0].toFixed(1)} %), B ${first[1].toFixed(0)}->${last[1].toFixed(0)} MB (${growth[1].toFixed(1)} %)`,
      pass:
        s.lost + s.duplicates + s.gaps + crashes() === 0 &&
        converge !== null &&
        growth.every((g) => g < 10),
    });
  }

  phones.forEach((p) => p.close());
  watchers.forEach((w) => w.close());
  await Promise.all([a.kill(), b.kill()]);
  await redis?.kill();
  await db.close();
  printTable();
  console.log(`[faults] finished in ${fmt(Date.now() - t0)} s; load average ${loadavg()}`);
  process.exit(rows.every((r) => r.pass) ? 0 : 1);
}

function loadavg(): string {
  return osLoadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}

main().catch(async (err: Error) => {
  console.error(`[faults] failed: ${err.stack ?? err.message}`);
  printTable();
  for (const c of cleanups) await c().catch(() => undefined);
  process.exit(1);
});
