#!/usr/bin/env node
// node bench/profile-summary.mjs <file.cpuprofile> [top=30] [--from s] [--to s] [--timeline s]
// Summarises a V8 CPU profile (BENCH_PROFILE=dir npm run bench:live writes one for the API):
// self and inclusive time by package/module and by function, as % of the busy (non-idle) time,
// optionally over a window of seconds from the profile's start (the measured rounds, not the
// start-up and watch phase). --timeline prints the busy % per step so the window can be chosen.
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? Number(rest[i + 1]) : fallback;
};
const top = Number(rest.find((a, i) => /^\d+$/.test(a) && !rest[i - 1]?.startsWith('--')) ?? 30);
const from = opt('from', 0) * 1e6;
const to = opt('to', Infinity) * 1e6;
const step = opt('timeline', 0) * 1e6;

const prof = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const isIdle = (n) => n.callFrame.functionName === '(idle)';

if (step > 0) {
  const buckets = [];
  let at = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    at += prof.timeDeltas[i];
    const b = (buckets[Math.floor(at / step)] ??= { busy: 0, all: 0 });
    const d = prof.timeDeltas[i + 1] ?? 0;
    b.all += d;
    if (!isIdle(nodes.get(prof.samples[i]))) b.busy += d;
  }
  buckets.forEach((b, i) => {
    const pct = b && b.all ? ((100 * b.busy) / b.all).toFixed(0) : '-';
    console.log(`${String((i * step) / 1e6).padStart(6)} s  busy ${pct}%`);
  });
  process.exit(0);
}

// Time per sampled node within the window (a sample's time is the delta to the next sample).
const time = new Map();
let at = 0;
for (let i = 0; i < prof.samples.length; i++) {
  at += prof.timeDeltas[i];
  if (at < from || at > to) continue;
  time.set(prof.samples[i], (time.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i + 1] ?? 0));
}
const moduleOf = (url) => {
  if (!url) return '(native/vm)';
  if (url.startsWith('node:')) return url;
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /dist\/(.*)\/[^/]+$/.exec(url);
  return own ? own[1] : `node:${url.replace(/^.*\//, '')}`;
};
const fnOf = (n) =>
  `${n.callFrame.functionName || '(anonymous)'} ${moduleOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const add = (map, key, t) => map.set(key, (map.get(key) ?? 0) + t);
const selfMod = new Map();
const selfFn = new Map();
const inclMod = new Map();
const inclFn = new Map();
let busy = 0;
for (const [id, t] of time) {
  const n = nodes.get(id);
  if (isIdle(n)) continue;
  busy += t;
  // GC and (program) have no url: keep them apart from native code.
  const name = n.callFrame.functionName;
  add(selfMod, name.startsWith('(') ? name : moduleOf(n.callFrame.url), t);
  add(selfFn, fnOf(n), t);
  const mods = new Set();
  const fns = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const c = nodes.get(cur);
    mods.add(moduleOf(c.callFrame.url));
    fns.add(fnOf(c));
  }
  for (const m of mods) add(inclMod, m, t);
  for (const f of fns) add(inclFn, f, t);
}
const print = (title, map) => {
  console.log(`\n${title} (% of ${(busy / 1e6).toFixed(1)} s busy)`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * v) / busy).toFixed(1).padStart(6)}%  ${k}`);
};
print('self by module', selfMod);
print('inclusive by module', inclMod);
print('self by function', selfFn);
print('inclusive by function', inclFn);
