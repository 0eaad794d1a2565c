#!/usr/bin/env node
// node bench/pg-socket.mjs [--statements 20000]
// What one statement costs over TCP loopback and over a Unix-domain socket, against the same
// embedded PostgreSQL (the API connects to its embedded server through the socket): wall time,
// the client's CPU (system time apart) and the backend's CPU per prepared statement, each path
// measured twice, alternating. Needs `npm run build`. A script for a quiet machine.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { benchArgs } from './args.mjs';
import { cpuTicks, freePort } from './processes.mjs';

const root = resolve(import.meta.dirname, '..');
const N = Number(benchArgs().statements ?? 20000);
const { startEmbeddedPostgres } = await import(
  join(root, 'dist/apps/api/src/database/embedded-postgres.js')
);
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-pg-socket-'));
chmodSync(dir, 0o755); // initdb runs as its own user when we are root
const db = await startEmbeddedPostgres({
  dir: join(dir, 'data'),
  port: await freePort(),
  database: 'vigil',
  persistent: false,
});
const tcp = new URL(db.adminUrl);
tcp.pathname = '/vigil';

async function measure(label, url) {
  const client = new pg.Client(url);
  await client.connect();
  const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const q = { name: 'one', text: 'SELECT $1::int + 1 AS x', values: [1] };
  for (let i = 0; i < 2000; i++) await client.query(q); // warm: planned, caches filled
  const cpu0 = process.cpuUsage();
  const backend0 = cpuTicks(pid);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await client.query(q);
  const wall = ((performance.now() - t0) * 1000) / N;
  const cpu = process.cpuUsage(cpu0);
  const backend = ((cpuTicks(pid) - backend0) * 10_000) / N;
  await client.end();
  console.log(
    `| ${label} | ${wall.toFixed(1)} | ${((cpu.user + cpu.system) / N).toFixed(1)} (${(cpu.system / N).toFixed(1)}) | ${backend.toFixed(1)} |`,
  );
}

try {
  console.log(`${N} prepared statements one after another, per statement:`);
  console.log('| path | wall µs | client CPU µs (system) | backend CPU µs |');
  console.log('|---|---|---|---|');
  for (let round = 0; round < 2; round++) {
    await measure('TCP 127.0.0.1', tcp.toString());
    await measure('Unix socket', db.url);
  }
} finally {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
