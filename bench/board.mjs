#!/usr/bin/env node
// npm run bench:board -- [--sessions 200] [--rate 1] [--measure 60] [--port 3900]
// The central-station board under load, as a clinician sees it: `npm start` (default limits) on a
// fresh data folder with the simulator streaming N live sessions at RATE Hz, Debian's Chromium at
// 1920x1080 signed in as clinician@vigil.demo. Prints the time from sign-in to a filled board,
// the main thread's long tasks over 50 ms while the board is live, and the age of the values the
// visible tiles show. A script for a quiet machine, not a CI step.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce(
      (acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc),
      [],
    ),
);
const SESSIONS = Number(args.sessions ?? 200);
const RATE = Number(args.rate ?? 1);
const MEASURE_S = Number(args.measure ?? 60);
const PORT = String(args.port ?? 3900);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) =>
  xs.length === 0
    ? NaN
    : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

const data = mkdtempSync(join(tmpdir(), 'vigil-bench-board-'));
// mkdtemp makes it 0700: run as root, embedded PostgreSQL's initdb (as its own user) could not
// enter it ("Permission denied"), as bench/live.mjs's folder already allows.
chmodSync(data, 0o755);
const url = `http://127.0.0.1:${PORT}`;
const run = spawn(
  process.execPath,
  [
    join(root, 'scripts/start.mjs'),
    '--sessions',
    String(SESSIONS),
    '--rate',
    String(RATE),
    '--quiet',
  ],
  {
    cwd: root,
    env: {
      ...process.env,
      PORT,
      EMBEDDED_PG_DIR: join(data, 'postgres'),
      EMBEDDED_PG_PORT: String(Number(PORT) + 1000),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  },
);
let browser = null;
async function stop(code) {
  await browser?.close().catch(() => undefined);
  try {
    process.kill(-run.pid, 'SIGINT');
  } catch {
    // already gone
  }
  await Promise.race([new Promise((r) => run.once('exit', r)), sleep(15_000)]);
  rmSync(data, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stop(130));

async function liveSessions() {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'clinician@vigil.demo', password: 'vigil-demo' }),
  });
  if (!login.ok) return 0;
  const { accessToken } = await login.json();
  const res = await fetch(`${url}/api/sessions?state=live`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return res.ok ? (await res.json()).length : 0;
}

try {
  const started = Date.now();
  for (;;) {
    if (Date.now() - started > 300_000) throw new Error('npm start did not become healthy');
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await sleep(500);
  }
  // Wait for the simulator's sessions (one login, then the list).
  let live = 0;
  while ((live = await liveSessions()) < SESSIONS) {
    if (Date.now() - started > 600_000) throw new Error(`only ${live} live sessions`);
    await sleep(2000);
  }
  console.log(`[bench:board] ${live} live sessions at ${RATE} Hz; measuring for ${MEASURE_S} s`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill('clinician@vigil.demo');
  await page.getByLabel('Password').fill('vigil-demo');
  const signIn = Date.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(
    (n) => {
      const tiles = [...document.querySelectorAll('[data-testid="tile"]')];
      const heading = document.querySelector('#board-title')?.textContent ?? '';
      const count = Number(/\((\d+)\)/.exec(heading)?.[1] ?? 0);
      return (
        count >= n &&
        tiles.length > 0 &&
        tiles.every(
          (t) =>
            !t.textContent.includes('Loading events') &&
            t.querySelector('[data-testid="vital-heart_rate"] .vital-value'),
        )
      );
    },
    live,
    { timeout: 120_000, polling: 100 },
  );
  const filledMs = Date.now() - signIn;
  await page.evaluate(() => {
    window.__longTasks = [];
  });

  // Once a second: the age (s) of every streamed value (HR, SpO2) on the visible tiles.
  const ages = [];
  for (let s = 0; s < MEASURE_S; s++) {
    await sleep(1000);
    const sample = await page.evaluate(() => {
      const h = window.innerHeight;
      const out = [];
      for (const tile of document.querySelectorAll('[data-testid="tile"]')) {
        const r = tile.getBoundingClientRect();
        if (r.top < 0 || r.bottom > h) continue;
        for (const key of ['heart_rate', 'spo2']) {
          const text =
            tile.querySelector(`[data-testid="vital-${key}"] .vital-age`)?.textContent ?? '';
          const m = /(\d+)\s*(s|min)/.exec(text);
          if (m) out.push(Number(m[1]) * (m[2] === 'min' ? 60 : 1));
        }
      }
      return out;
    });
    ages.push(...sample);
  }
  const longTasks = await page.evaluate(() => window.__longTasks);
  await page.screenshot({ path: join(root, 'test-results/screenshots/bench-board.png') });

  console.log(`
[bench:board] ${live} live sessions, ${RATE} Hz, default limits, Chromium 1920x1080, ${MEASURE_S} s
  time to a filled board after sign-in : ${(filledMs / 1000).toFixed(1)} s
  long tasks over 50 ms                : ${longTasks.length}${longTasks.length ? ` (longest ${Math.round(Math.max(...longTasks))} ms)` : ''}
  age of visible streamed values (s)   : p50 ${pct(ages, 0.5)}, p95 ${pct(ages, 0.95)}, max ${ages.length ? Math.max(...ages) : NaN} (${ages.length} samples)
`);
  await stop(0);
} catch (err) {
  console.error(`[bench:board] ${err.message}`);
  await stop(1);
}
