#!/usr/bin/env node
// npm run bench:live -- [--sessions 2000] [--dashboards 20] [--rate 1] [--rounds 3] [--measure 20]
//   [--idle] (memory per idle authenticated socket) | [--ramp 1,1.5,2,3] (the knee, then 2x it)
//   [--alerts 20] (SBP 186 into 20 sessions: alert raised -> every dashboard, p95)
//   [--cross] (two instances over Redis: dashboards on the other instance vs the same one)
//   [--statements] (pg_stat_statements: statements per acknowledged event in each Vigil round)
//   [--events event] (dashboards take one session.event per event, not v1.6 session.events)
//   [--runtime] (Vigil's event-loop delay, GC pauses and group commits in each Vigil round)
// Interleaves rounds of (a) a plain Socket.IO relay and (b) Vigil's full pipeline under the same
// load, and prints delivery, latency, CPU per event and memory for each, and the ratios.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import {
  freePort,
  jwt as signJwt,
  runLoadgen as runLoadgenIn,
  sleep,
  startChild,
  waitHealthy,
} from './processes.mjs';
import {
  line,
  machine,
  printCrossTable,
  printMainTable,
  printRampTable,
  summarise,
} from './live-report.mjs';
import { benchArgs } from './args.mjs';
import { printRuntime, scrapeMetrics } from './runtime-metrics.mjs';
import {
  enableStatements,
  postgresTicksByKind,
  printPostgresCpu,
  printStatements,
  printWrites,
  STATEMENT_FLAGS,
  statementsSnapshot,
  writesSnapshot,
} from './pg-statements.mjs';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const args = benchArgs();
const SESSIONS = Number(args.sessions ?? 2000);
const DASHBOARDS = Number(args.dashboards ?? 20);
const RATE = Number(args.rate ?? 1);
const ROUNDS = Number(args.rounds ?? 3);
const MEASURE_MS = Number(args.measure ?? 20) * 1000;
const WARMUP_MS = Number(args.warmup ?? 5) * 1000;
const IDLE = 'idle' in args;
/** Rates (Hz per patient) to ramp through; `--ramp` alone takes the default steps. */
const RAMP =
  'ramp' in args
    ? (args.ramp && !args.ramp.startsWith('--') ? args.ramp : '0.5,1,1.5,2,3,4')
        .split(',')
        .map(Number)
    : null;
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

const jwt = (sub, role) => signJwt(sub, role, SECRET);
const runLoadgen = (cfg, serverPid, postmasterPid, hooks) =>
  runLoadgenIn(dir, cfg, serverPid, postmasterPid, hooks);
/** `--statements`: PostgreSQL counts every statement (costs CPU: count with it, time without). */
const STATEMENTS = 'statements' in args;
/** `--runtime`: Vigil serves its Prometheus metrics on a port of its own; read them per round. */
const RUNTIME = 'runtime' in args;
const metricsPort = RUNTIME ? await freePort() : 0;

// ---- set-up ------------------------------------------------------------------------------
const apiMain = join(root, 'dist/apps/api/src/main.js');
if (!existsSync(apiMain))
  spawnSync(
    process.execPath,
    [join(root, 'node_modules/@nestjs/cli/bin/nest.js'), 'build', 'api'],
    { cwd: root, stdio: 'inherit' },
  );
const { startEmbeddedPostgres } = require(
  join(root, 'dist/apps/api/src/database/embedded-postgres.js'),
);
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
chmodSync(dir, 0o755);
const pgPort = await freePort();
const db = await startEmbeddedPostgres({
  dir: join(dir, 'pg'),
  port: pgPort,
  database: 'vigil_bench',
  persistent: false,
  postgresFlags: STATEMENTS ? STATEMENT_FLAGS : [],
});
const postmasterPid = Number(
  readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
);

/**
 * `--cross`: two instances over Redis (REDIS_URL, default the local one); the phones stay on the
 * first and the dashboards move to the second for the rounds that measure cross-instance delivery.
 */
const CROSS = 'cross' in args;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function startVigil(port, profile) {
  const child = spawn(
    process.execPath,
    [
      ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []),
      // BENCH_INSPECT=port: the inspector, for an allocation profile taken over its protocol.
      ...(process.env.BENCH_INSPECT && port === vigilPort
        ? [`--inspect=127.0.0.1:${process.env.BENCH_INSPECT}`]
        : []),
      apiMain,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        VIGIL_MODE: 'production',
        DATABASE_URL: db.url,
        JWT_SECRET: SECRET,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...(CROSS ? { REDIS_URL } : {}),
        ...(RUNTIME && port === vigilPort ? { METRICS_PORT: String(metricsPort) } : {}),
        // Default limits: a 1 Hz phone and a board watching every session must fit them.
      },
    },
  );
  process.on('exit', () => child.kill('SIGTERM'));
  child.once('exit', (code) => {
    if (code !== null && code !== 0) console.error(`Vigil exited with ${code}`);
  });
  return child;
}

const vigilPort = await freePort();
const vigilPortB = CROSS ? await freePort() : 0;
const vigil = startVigil(vigilPort, process.env.BENCH_PROFILE);
const vigilUrl = `http://127.0.0.1:${vigilPort}`;
if (RUNTIME) console.log(`Vigil's metrics: http://127.0.0.1:${metricsPort}/metrics`);
await waitHealthy(vigilUrl);
const vigilB = CROSS ? startVigil(vigilPortB) : null;
if (vigilB) await waitHealthy(`http://127.0.0.1:${vigilPortB}`);
const { child: relay, match } = await startChild(
  process.execPath,
  [join(root, 'bench/relay-server.mjs'), '0'],
  {},
  /READY (\d+)\n/,
);
const relayUrl = `http://127.0.0.1:${match[1]}`;
process.on('exit', () => relay.kill('SIGTERM'));

console.log(
  `seeding ${SESSIONS} patients and sessions, ${DASHBOARDS} clinicians assigned to all of them...`,
);
const client = new pg.Client({ connectionString: db.url });
await client.connect();
const [{ id: protocolId }] = (
  await client.query(`SELECT id FROM protocols ORDER BY created_at LIMIT 1`)
).rows;
const clinicians = (
  await client.query(
    `INSERT INTO users (email, name, role, password_hash)
   SELECT 'c' || g || '@bench.vigil', 'Clinician ' || g, 'clinician', 'x' FROM generate_series(1, $1) g RETURNING id`,
    [Math.max(1, DASHBOARDS)],
  )
).rows.map((r) => r.id);
const patientUsers = (
  await client.query(
    `INSERT INTO users (email, name, role, password_hash)
   SELECT 'p' || g || '@bench.vigil', 'Patient ' || g, 'patient', 'x' FROM generate_series(1, $1) g RETURNING id`,
    [SESSIONS],
  )
).rows.map((r) => r.id);
const patients = (
  await client.query(
    `INSERT INTO patients (user_id) SELECT unnest($1::uuid[]) RETURNING id, user_id`,
    [patientUsers],
  )
).rows;
await client.query(
  `INSERT INTO clinician_assignments (clinician_id, patient_id, valid_from)
   SELECT c, p, now() - interval '1 day' FROM unnest($1::uuid[]) c CROSS JOIN unnest($2::uuid[]) p`,
  [clinicians, patients.map((p) => p.id)],
);
const sessionIds = (
  await client.query(
    `INSERT INTO sessions (patient_id, clinician_id, protocol_id, state, dosed_at)
   SELECT p, $2, $3, $4, CASE WHEN $4 = 'monitoring' THEN now() END FROM unnest($1::uuid[]) WITH ORDINALITY AS t(p, i) ORDER BY i RETURNING id, patient_id`,
    // Idle sockets belong to scheduled sessions: nothing is due, no watchdog or silence alerts.
    [patients.map((p) => p.id), clinicians[0], protocolId, IDLE ? 'scheduled' : 'monitoring'],
  )
).rows;
const sessionByPatient = new Map(sessionIds.map((s) => [s.patient_id, s.id]));
if (STATEMENTS) await enableStatements(client);
else await client.end();

const base = {
  patients: SESSIONS,
  dashboards: DASHBOARDS,
  rate: RATE,
  warmupMs: WARMUP_MS,
  measureMs: MEASURE_MS,
  sessionIds: patients.map((p) => sessionByPatient.get(p.id)),
  patientTokens: patients.map((p) => jwt(p.user_id, 'patient')),
  alertSessions: Number(args.alerts ?? 0),
  dashboardTokens: clinicians.slice(0, DASHBOARDS).map((c) => jwt(c, 'clinician')),
  // How the dashboards ask for live events (v1.6): `batch`, as the web dashboard does, or `event`.
  eventFormat: args.events ?? 'batch',
};

// ---- rounds ------------------------------------------------------------------------------
const targets = (args.targets ?? 'relay,vigil').split(',');
/**
 * Rounds so far on each target: each round's `--alerts` go to sessions no earlier round used, or
 * the SBP would meet the alert a previous round left open (one cause, one alert: an
 * `alert.updated`, not the `alert.raised` the load generator times).
 */
const roundsRun = { relay: 0, vigil: 0 };
/** One measured round of `target` under `base` with `overrides`: the row the tables read. */
async function runRound(target, overrides = {}) {
  const pid = target === 'relay' ? relay.pid : vigil.pid;
  const alertOffset = roundsRun[target]++ * base.alertSessions;
  const counting = STATEMENTS && target === 'vigil';
  const runtime = RUNTIME && target === 'vigil';
  /** What the window's figures are computed from, read as it opens and again as it closes. */
  const snapshot = () => ({
    runtime: runtime ? scrapeMetrics(metricsPort) : null,
    cpu: counting ? postgresTicksByKind(postmasterPid) : null,
    statements: counting ? statementsSnapshot(client) : null,
    writes: counting ? writesSnapshot(client) : null,
  });
  let before;
  let after;
  const r = await runLoadgen(
    { ...base, alertOffset, ...overrides, url: target === 'relay' ? relayUrl : vigilUrl },
    pid,
    target === 'vigil' ? postmasterPid : null,
    { onMeasuring: () => (before = snapshot()), onMeasured: () => (after = snapshot()) },
  );
  const events = r.acked;
  const label = `Vigil round ${roundsRun.vigil}`;
  if (counting) {
    printStatements(await before.statements, await after.statements, events, label);
    printPostgresCpu(before.cpu, after.cpu, events);
    printWrites(await before.writes, await after.writes, events);
  }
  if (runtime) printRuntime(await before.runtime, await after.runtime, r.window.seconds, label);
  return {
    void: r.loadgenCpuPctOfCore >= 70,
    rate: overrides.rate ?? RATE,
    deliveredPct: r.deliveredPct,
    duplicates: r.duplicates,
    gaps: r.gaps,
    failed: r.failed,
    failureReasons: r.reasons,
    eventsPerSec: events / r.window.seconds,
    offeredPerSec: r.measured.offered / r.window.seconds,
    unavailablePerSec: r.measured.unavailable / r.window.seconds,
    timedOutPerSec: r.measured.timedOut / r.window.seconds,
    toldNotSaving: r.toldNotSaving,
    toldDelayed: r.toldDelayed,
    latencyMs: r.latencyMs,
    ackMs: r.ackMs,
    alertMs: r.alertMs,
    boardPerDashboardPerSec: r.boardPerDashboardPerSec,
    livePerDashboardPerSec: r.livePerDashboardPerSec,
    serverCpuUsPerEvent: r.window.serverUs / events,
    pgCpuUsPerEvent: target === 'vigil' ? r.window.pgUs / events : null,
    rssMb: r.window.rssMb,
    loadgenCpuPctOfCore: r.loadgenCpuPctOfCore,
    loadgenLoopDelayMs: r.loadgenLoopDelayMs,
  };
}

if (IDLE) {
  // Memory per idle authenticated socket: the server's RSS before the phones connect and once
  // they have all been connected for the warm-up and measuring time.
  const rows = {};
  for (const target of targets) {
    const pid = target === 'relay' ? relay.pid : vigil.pid;
    const r = await runLoadgen(
      {
        ...base,
        dashboards: 0,
        dashboardTokens: [],
        idle: true,
        url: target === 'relay' ? relayUrl : vigilUrl,
      },
      pid,
      null,
    );
    rows[target] = {
      connected: r.connected,
      before: r.window.rssBeforeMb,
      after: r.window.rssMb,
      kbPerSocket: ((r.window.rssMb - r.window.rssBeforeMb) * 1024) / Math.max(1, r.connected),
    };
    console.log(`idle ${target.padEnd(5)} ${JSON.stringify(rows[target])}`);
  }
  machine();
  console.log(
    `load: ${SESSIONS} idle authenticated patient sockets, held ${(WARMUP_MS + MEASURE_MS) / 1000} s`,
  );
  console.log('| metric | relay | vigil | vigil / relay |');
  console.log('|---|---|---|---|');
  line('sockets connected', rows.relay?.connected, rows.vigil?.connected, 0);
  line('server RSS before, MB', rows.relay?.before, rows.vigil?.before, 0);
  line('server RSS with the sockets, MB', rows.relay?.after, rows.vigil?.after, 0);
  line('RSS per socket, KB', rows.relay?.kbPerSocket, rows.vigil?.kbPerSocket);
} else if (RAMP) {
  // The knee: the highest offered rate at which every acknowledged submission reached every
  // dashboard with p99 <= 100 ms and nothing was refused or timed out, all in the measured window
  // as the other figures; then 2x the knee offered (goodput). Each round's load generator opens
  // its 2,000 sockets and 20 dashboards' watches at once: what that start refuses is in the
  // round's `failed` (printed), not in the knee.
  const knee = {};
  const overload = {};
  for (const target of targets) {
    for (const rate of RAMP) {
      const row = await runRound(target, { rate });
      const ok =
        row.deliveredPct >= 100 &&
        row.unavailablePerSec === 0 &&
        row.timedOutPerSec === 0 &&
        (row.latencyMs.p99 ?? Infinity) <= 100;
      console.log(
        `ramp ${target.padEnd(5)} ${rate} Hz ${ok ? 'ok ' : 'OVER'} ${JSON.stringify(row)}`,
      );
      if (!ok) break;
      knee[target] = row;
    }
    if (!knee[target]) continue;
    overload[target] = await runRound(target, { rate: 2 * knee[target].rate });
    console.log(`2x knee ${target.padEnd(5)} ${JSON.stringify(overload[target])}`);
  }
  machine();
  console.log(
    `load: ${SESSIONS} patient sockets, ${DASHBOARDS} dashboards watching all, rates ${RAMP.join(', ')} Hz per patient, ${MEASURE_MS / 1000} s each`,
  );
  printRampTable(knee, overload);
} else if (CROSS) {
  // Same instance A for the phones; dashboards on A (single) or on B (cross), interleaved.
  const rows = { single: [], cross: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const where of ['single', 'cross']) {
      const dashUrl = where === 'cross' ? `http://127.0.0.1:${vigilPortB}` : vigilUrl;
      const row = { round, ...(await runRound('vigil', { dashUrl })) };
      rows[where].push(row);
      console.log(`round ${round} ${where.padEnd(6)} ${JSON.stringify(row)}`);
    }
  }
  machine();
  console.log(
    `load: ${SESSIONS} patient sockets at ${RATE} Hz on instance A, ${DASHBOARDS} dashboards watching all on A (single) or B (cross, over Redis), ${ROUNDS} interleaved rounds of ${MEASURE_MS / 1000} s`,
  );
  printCrossTable(rows);
} else {
  const results = { relay: [], vigil: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const target of targets) {
      const row = { round, ...(await runRound(target)) };
      results[target].push(row);
      console.log(`round ${round} ${target.padEnd(5)} ${JSON.stringify(row)}`);
    }
  }
  const summary = summarise(results);
  const s = { relay: summary.relay ?? {}, vigil: summary.vigil ?? {} };
  machine();
  console.log(
    `load: ${SESSIONS} patient sockets at ${RATE} Hz, ${DASHBOARDS} dashboards each watching all sessions, ${ROUNDS} interleaved rounds of ${MEASURE_MS / 1000} s`,
  );
  printMainTable(s, { alertSessions: base.alertSessions, dashboards: DASHBOARDS });
}

relay.kill('SIGTERM');
// Let Vigil drain and close its pool before the database goes away.
const vigilExited = new Promise((r) => vigil.once('exit', r));
vigil.kill('SIGTERM');
vigilB?.kill('SIGTERM');
await Promise.race([vigilExited, sleep(15000)]);
if (STATEMENTS) await client.end();
await db.stop();
process.exit(0);
