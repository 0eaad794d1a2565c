#!/usr/bin/env node
// `npm start`: build what is stale, run Vigil in demo mode on the embedded PostgreSQL, wait for
// it to answer, then start the simulator so a dozen sessions are live on the board.
// Ctrl-C stops everything: the simulator, then the API, which stops the embedded database.
// `npm start -- --no-simulator` runs the API alone; other arguments go to the simulator.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const apiMain = join(root, 'dist/apps/api/src/main.js');
const simulatorMain = join(root, 'dist/apps/simulator/src/main.js');
const nest = join(root, 'node_modules/@nestjs/cli/bin/nest.js');
const started = Date.now();

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function stale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((dir) => existsSync(dir) && newestMtime(dir) > built);
}

function run(label, command, args) {
  console.log(`[vigil] building ${label}...`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const args = process.argv.slice(2);
const env = { ...process.env, VIGIL_MODE: process.env.VIGIL_MODE ?? 'demo' };
const withSimulator = env.VIGIL_MODE === 'demo' && !args.includes('--no-simulator');
const simulatorArgs = args.filter((a) => a !== '--no-simulator');

// The simulator logs every synthetic patient in from this machine's address, the address the
// clinician's browser signs in from too. The per-address login limit (default 30 a minute) is
// for a real deployment; in the demo it would make a big simulation (`--sessions 200`) lock the
// clinician out for minutes. So the demo sizes it to the simulation, unless it was set.
const sessionsArg =
  simulatorArgs.find((a, i) => simulatorArgs[i - 1] === '--sessions') ??
  simulatorArgs.find((a) => a.startsWith('--sessions='))?.split('=')[1];
const simulated = Number.parseInt(sessionsArg ?? '12', 10) || 12;
if (withSimulator && env.LOGIN_RATE_LIMIT_PER_MINUTE === undefined) {
  // Room for every patient twice (a restart re-logs in) plus people, 3x per minute (auth.module).
  env.LOGIN_RATE_LIMIT_PER_MINUTE = String(Math.max(10, Math.ceil((2 * simulated + 30) / 3)));
}
// The simulator's supervisor pairs two devices for every simulated patient when it starts (a
// listing and a pairing each, from one account): sized the same way, so a big simulation does not
// wait out the per-account REST limit (600 a minute by default) before its devices stream.
if (withSimulator && env.REST_RATE_LIMIT_PER_MINUTE === undefined) {
  env.REST_RATE_LIMIT_PER_MINUTE = String(Math.max(600, 5 * simulated));
}
// The API seeds the simulator's patients (sim01..simN, demo password) so a bigger simulation
// needs no accounts created through the admin API (its password policy refuses the demo one).
if (withSimulator && env.DEMO_SIMULATED_PATIENTS === undefined) {
  env.DEMO_SIMULATED_PATIENTS = String(simulated);
}
// The demo's care-team number is from Ofcom's range for drama (020 7946 0xxx): it rings no one.
if (env.VIGIL_MODE === 'demo' && env.CARE_TEAM_PHONE === undefined) {
  env.CARE_TEAM_PHONE = '+44 20 7946 0000';
}

if (stale(apiMain, [join(root, 'apps/api/src'), join(root, 'libs')])) {
  run('the API', process.execPath, [nest, 'build', 'api']);
}
const simulatorSources = [join(root, 'apps/simulator/src'), join(root, 'libs/contracts/src')];
if (withSimulator && stale(simulatorMain, simulatorSources)) {
  run('the simulator', process.execPath, [nest, 'build', 'simulator']);
}
const dashboardIndex = join(root, 'dist/dashboard/index.html');
if (stale(dashboardIndex, [join(root, 'apps/dashboard/src'), join(root, 'libs/contracts/src')])) {
  run('the dashboard', process.execPath, [
    join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    'apps/dashboard/vite.config.ts',
    '--logLevel',
    'warn',
  ]);
}

const port = env.PORT ?? '3000';
const url = `http://127.0.0.1:${port}`;
const api = spawn(process.execPath, [apiMain], {
  cwd: root,
  env,
  stdio: ['ignore', 'inherit', 'inherit'],
});
let simulator = null;
let stopping = false;

console.log(`
[vigil] starting in ${env.VIGIL_MODE} mode
[vigil]   URL:        http://localhost:${port}  (API under /api, OpenAPI at /api/docs)
[vigil]   logins:     clinician@vigil.demo, clinician2@vigil.demo, supervisor@vigil.demo,
[vigil]               patient1@vigil.demo  (password: vigil-demo)
[vigil]   simulator:  ${withSimulator ? `sim01..sim${String(simulated).padStart(2, '0')}@vigil.demo, live sessions for clinician@vigil.demo` : 'off'}
[vigil]   data:       ${env.DATABASE_URL ? 'DATABASE_URL' : resolve(root, env.EMBEDDED_PG_DIR ?? '.data/postgres')}
[vigil]   stop:       Ctrl-C (stops the database too; the next start reuses the data)
`);

async function healthy(deadline) {
  while (Date.now() < deadline && !stopping && api.exitCode === null) {
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

if (withSimulator) {
  healthy(Date.now() + 180_000).then((ok) => {
    if (!ok || stopping) {
      if (!stopping) console.error('[vigil] the API did not become healthy: simulator not started');
      return;
    }
    simulator = spawn(process.execPath, [simulatorMain, '--url', url, ...simulatorArgs], {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    simulator.on('exit', (code) => {
      if (!stopping) console.error(`[vigil] the simulator exited (${code}); the API keeps running`);
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `[vigil] API healthy after ${seconds} s; simulator started: http://localhost:${port}`,
    );
  });
}

const exited = (child) =>
  !child || child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once('exit', r));

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  // The simulator first, so it does not log the API going away as an error.
  simulator?.kill(signal);
  await exited(simulator);
  if (api.exitCode === null && api.signalCode === null) api.kill(signal);
  await exited(api);
  process.exit(0);
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stop(signal));
api.on('exit', (code, signal) => {
  if (stopping) return;
  stopping = true;
  simulator?.kill('SIGTERM');
  exited(simulator).then(() => process.exit(code ?? (signal ? 0 : 1)));
});
