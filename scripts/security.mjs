#!/usr/bin/env node
// npm run test:security [-- --short]: the access and attack suites on real PostgreSQL and real
// sockets, then one table of counts. Full: 10,000 fuzzed payloads per input (fast-check);
// --short (or CI=true): 100. The e2e specs it runs:
//   test/security/fuzz        every documented REST operation and every socket event x caller,
//                             fuzzed; bad handshake tokens; foreign origins
//   test/access-matrix        routes x every kind of caller, denials audited
//   test/auth-hardening       login throttling without lock-out, refresh reuse, lifetime, policy
//   test/live-hardening       flooding: per-user rate limits that reconnecting does not reset
//   test/live-revocation      logout, ended assignments and expired tokens cut live sockets
//   test/input-hardening      NUL, lone surrogates, year 0000/9999 refused by name, never a 500
//   test/security-headers     browser security headers, no-store on health data
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const short = process.argv.includes('--short') || process.env.CI === 'true';
const runs = process.env.FUZZ_RUNS ?? (short ? '100' : '10000');
const report = join(mkdtempSync(join(tmpdir(), 'vigil-security-')), 'report.jsonl');
const specs = [
  'test/security/',
  'test/access-matrix',
  'test/auth-hardening',
  'test/live-hardening',
  'test/live-revocation',
  'test/input-hardening',
  'test/security-headers',
];
const started = Date.now();
console.log(`[security] ${short ? 'short' : 'full'} run: ${runs} fuzzed payloads per input`);
const jest = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/jest/bin/jest.js'),
    '--runInBand',
    '--selectProjects',
    'e2e',
    '--testPathPatterns',
    specs.map((s) => s.replace(/[/.]/g, (c) => `\\${c}`)).join('|'),
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TZ: 'UTC', FUZZ_RUNS: runs, SECURITY_REPORT: report },
  },
);
const lines = existsSync(report)
  ? readFileSync(report, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
const head = ['check', 'inputs', 'payloads', '5xx', 'crashes', 'leaks', 'detail'];
const body = lines.map((l) =>
  [l.check, l.inputs, l.payloads, l.fiveXx, l.crashes, l.leaks, l.detail ?? ''].map(String),
);
const totals = lines.reduce(
  (t, l) => ({
    payloads: t.payloads + l.payloads,
    fiveXx: t.fiveXx + l.fiveXx,
    crashes: t.crashes + l.crashes,
    leaks: t.leaks + l.leaks,
  }),
  { payloads: 0, fiveXx: 0, crashes: 0, leaks: 0 },
);
body.push(
  ['total', '', totals.payloads, totals.fiveXx, totals.crashes, totals.leaks, ''].map(String),
);
const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
const row = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`\n${row(head)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const b of body) console.log(row(b));
console.log(
  `\n[security] jest ${jest.status === 0 ? 'passed' : 'FAILED'} (the other suites' counts are in` +
    ` its summary above); ${((Date.now() - started) / 1000).toFixed(0)} s; load average ` +
    `${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
);
process.exit(jest.status === 0 && totals.fiveXx + totals.crashes + totals.leaks === 0 ? 0 : 1);
