#!/usr/bin/env node
// `npm start`: build what is stale, then run Vigil in demo mode on the embedded PostgreSQL.
// Ctrl-C stops everything: the API stops the embedded database before it exits.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const apiMain = join(root, 'dist/apps/api/src/main.js');

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

if (stale(apiMain, [join(root, 'apps/api/src'), join(root, 'libs')])) {
  run('the API', process.execPath, [
    join(root, 'node_modules/@nestjs/cli/bin/nest.js'),
    'build',
    'api',
  ]);
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

const env = { ...process.env, VIGIL_MODE: process.env.VIGIL_MODE ?? 'demo' };
const port = env.PORT ?? '3000';
const api = spawn(process.execPath, [apiMain], {
  cwd: root,
  env,
  stdio: ['ignore', 'inherit', 'inherit'],
});

console.log(`
[vigil] starting in ${env.VIGIL_MODE} mode
[vigil]   URL:        http://localhost:${port}  (API under /api, OpenAPI at /api/docs)
[vigil]   logins:     clinician@vigil.demo, clinician2@vigil.demo, supervisor@vigil.demo,
[vigil]               patient1@vigil.demo  (password: vigil-demo)
[vigil]   data:       ${env.DATABASE_URL ? 'DATABASE_URL' : resolve(root, env.EMBEDDED_PG_DIR ?? '.data/postgres')}
[vigil]   stop:       Ctrl-C (stops the database too; the next start reuses the data)
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    api.kill(signal);
  });
}
api.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
