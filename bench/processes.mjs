// Process plumbing for bench/live.mjs: ports, CPU and memory from /proc, child processes, and
// one load-generator round with the server's and PostgreSQL's CPU read over its measured window.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/**
 * A port nothing holds now. A random pick in 20000-40000 collided with the ephemeral ports that
 * the idle run's 10,000 closed sockets still held in TIME_WAIT (EADDRINUSE at the next start).
 */
export const freePort = () =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });

export function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}
export function rssMb(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}
/**
 * PostgreSQL's CPU: the postmaster, every live child, and the children that have exited (the
 * kernel adds a reaped child's time to its parent's cutime/cstime). Summing only the children
 * seen at the start undercounted backends opened later and went negative when an autovacuum
 * worker that was counted at the start exited before the end.
 */
export function postgresTicks(postmasterPid) {
  let total = 0;
  try {
    const f = readFileSync(`/proc/${postmasterPid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    total += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  } catch {
    return 0;
  }
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === postmasterPid) total += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* gone */
    }
  }
  return total;
}

/**
 * CPU ticks (USER_HZ, 10 ms) of every process below `rootPid`, summed by the kind `kindOf` gives
 * its command line (null: counted under its parent's kind). A process's reaped children count in
 * its own cutime/cstime, so a PostgreSQL backend or a renderer that exits is not lost.
 */
export function treeTicksByKind(rootPid, kindOf) {
  const procs = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      procs.set(Number(d), {
        ppid: Number(f[1]),
        cmd,
        ticks: f.slice(11, 15).reduce((a, b) => a + Number(b), 0),
      });
    } catch {
      /* gone */
    }
  }
  const kinds = new Map();
  const visit = (pid, inherited) => {
    const p = procs.get(pid);
    if (!p) return;
    const kind = kindOf(p.cmd) ?? inherited;
    kinds.set(kind, (kinds.get(kind) ?? 0) + p.ticks);
    for (const [child, c] of procs) if (c.ppid === pid) visit(child, kind);
  };
  visit(rootPid, kindOf(procs.get(rootPid)?.cmd ?? '') ?? 'other');
  return kinds;
}

export function jwt(sub, role, secret) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, role, tv: 0, iat: now, exp: now + 4 * 3600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export function startChild(cmd, argv, env, readyLine) {
  const child = spawn(cmd, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveReady, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const m = readyLine.exec(buf);
      if (m) resolveReady({ child, match: m });
    });
    child.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}`)));
  });
}

export async function waitHealthy(url) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      /* not yet */
    }
    await sleep(200);
  }
  throw new Error('Vigil did not become healthy');
}

/**
 * One load-generator round; its config file goes in `dir`. `hooks.onMeasuring` and
 * `hooks.onMeasured` run as the measured window opens and closes (`--statements` snapshots).
 */
export function runLoadgen(dir, cfg, serverPid, postmasterPid, hooks = {}) {
  const pgTicks = () => (postmasterPid ? postgresTicks(postmasterPid) : 0);
  return new Promise((resolveRun, reject) => {
    const cfgPath = join(dir, 'loadgen.json');
    writeFileSync(cfgPath, JSON.stringify(cfg));
    const child = spawn(process.execPath, [join(root, 'bench/loadgen.mjs'), cfgPath], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    let rssBeforeMb = null;
    let at0 = null;
    let window = null;
    child.stdout.on('data', (d) => {
      buf += d;
      if (rssBeforeMb === null && buf.includes('BEFORE')) rssBeforeMb = rssMb(serverPid);
      if (!at0 && buf.includes('MEASURING')) {
        at0 = { t: process.hrtime.bigint(), server: cpuTicks(serverPid), pg: pgTicks() };
        hooks.onMeasuring?.();
      }
      if (at0 && !window && buf.includes('MEASURED')) {
        hooks.onMeasured?.();
        window = {
          seconds: Number(process.hrtime.bigint() - at0.t) / 1e9,
          serverUs: (cpuTicks(serverPid) - at0.server) * TICK_US,
          pgUs: (pgTicks() - at0.pg) * TICK_US,
          rssMb: rssMb(serverPid),
          rssBeforeMb,
        };
      }
      const m = /RESULT (.*)\n/.exec(buf);
      if (m) resolveRun({ ...JSON.parse(m[1]), window });
    });
    child.once('exit', (code) => code !== 0 && reject(new Error(`loadgen exited ${code}`)));
  });
}
