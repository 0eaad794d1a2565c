#!/usr/bin/env node
// npm run bench:board -- [--sessions 200] [--rate 1] [--measure 60] [--warmup 30] [--port 3900]
//   [--profile FILE] [--trace FILE] [--statements] [--pg-log FILE]
// The central-station board under load, as a clinician sees it: `npm start` (default limits) on a
// fresh data folder with the simulator streaming N live sessions at RATE Hz, Debian's Chromium at
// 1920x1080 signed in as clinician@vigil.demo. Prints the time from sign-in to a filled board
// (every session listed with its events loaded, every visible streaming tile with its values),
// the main thread's long tasks over 50 ms while the board is live, how many tiles' contents change
// per frame and how often the risk order gives a place another session, how old each streamed reading
// is when its socket frame reaches the browser (the server's and the machine's share) and the
// age of the values the visible streaming tiles show (what the clinician sees). Tiles whose
// session streams nothing (before the dose, device silent, ended: patient1 of the demo seed is
// not simulated) are counted apart. A script for a quiet machine, not a CI step.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import pg from 'pg';
import { benchArgs } from './args.mjs';
import {
  enableStatements,
  printStatements,
  STATEMENT_FLAGS,
  statementsSnapshot,
} from './pg-statements.mjs';
import { treeTicksByKind } from './processes.mjs';
import { summariseTrace, TRACE_CATEGORIES } from './board-trace.mjs';

const root = resolve(import.meta.dirname, '..');
const args = benchArgs();
const SESSIONS = Number(args.sessions ?? 200);
const RATE = Number(args.rate ?? 1);
const MEASURE_S = Number(args.measure ?? 60);
// The clinician signs in to a station already running: the simulator's 200 sessions start at
// once (logins, screening, dose, a backlog of uploads), which a fresh server takes a while to
// work through; the board is judged once that start is over.
const WARMUP_S = Number(args.warmup ?? 30);
// --profile FILE: a V8 CPU profile of the page over the measured window (open it in Chromium's
// DevTools), and its ten heaviest functions by self time printed.
const PROFILE = args.profile ?? null;
// --trace FILE: a Chromium trace of the measured window, its long tasks and forced layouts printed.
const TRACE = args.trace ?? null;
const PORT = String(args.port ?? 3900);
// --statements: PostgreSQL's own count of the statements the measured window ran, per event
// stored (pg_stat_statements; the database is then started here, not by `npm start`).
const STATEMENTS = 'statements' in args;
// --pg-log FILE: PostgreSQL's log of the run (kept): statements over 200 ms, lock waits over
// 200 ms, checkpoints and autovacuum runs over 200 ms, each with its time, to tell what a stall
// in the readings' delivery waited for.
const PG_LOG = args['pg-log'] ? resolve(args['pg-log']) : null;
const PG_LOG_FLAGS = PG_LOG
  ? [
      ['log_line_prefix', '%m [%p] %a '],
      ['log_min_duration_statement', '200'],
      ['deadlock_timeout', '200ms'],
      ['log_lock_waits', 'on'],
      ['log_checkpoints', 'on'],
      ['log_autovacuum_min_duration', '200'],
    ].flatMap(([k, v]) => ['-c', `${k}=${v}`])
  : [];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const sec = (ms) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) =>
  xs.length === 0
    ? NaN
    : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

// The board is measured as operators serve it: a development build of React (what a build under
// NODE_ENV=test made) spends about four times the script time and would be measured instead.
const assets = join(root, 'dist/dashboard/assets');
if (
  existsSync(assets) &&
  readdirSync(assets).some(
    (f) => f.endsWith('.js') && readFileSync(join(assets, f), 'utf8').includes('jsxDEV'),
  )
) {
  console.error('[bench:board] dist/dashboard is a development build: run `npm run build` first');
  process.exit(2);
}

const data = mkdtempSync(join(tmpdir(), 'vigil-bench-board-'));
// mkdtemp makes it 0700: run as root, embedded PostgreSQL's initdb (as its own user) could not
// enter it ("Permission denied"), as bench/live.mjs's folder already allows.
chmodSync(data, 0o755);
const url = `http://127.0.0.1:${PORT}`;
const pgPort = Number(PORT) + 1000;
// The API's Prometheus port: its event loop's worst delay, read once a second (prom-client resets
// the figure at every read), tells a stall of the server from one of the browser or the simulator.
const metricsPort = Number(PORT) + 1001;
const db =
  STATEMENTS || PG_LOG
    ? await (
        await import(join(root, 'dist/apps/api/src/database/embedded-postgres.js'))
      ).startEmbeddedPostgres({
        dir: join(data, 'postgres'),
        port: pgPort,
        database: 'vigil',
        postgresFlags: [...(STATEMENTS ? STATEMENT_FLAGS : []), ...PG_LOG_FLAGS],
        onLog: PG_LOG ? (line) => appendFileSync(PG_LOG, `${line}\n`) : undefined,
      })
    : null;
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
      EMBEDDED_PG_PORT: String(pgPort),
      METRICS_PORT: String(metricsPort),
      ...(db ? { DATABASE_URL: db.url } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  },
);
let browser = null;
let page = null;
async function stop(code) {
  await browser?.close().catch(() => undefined);
  try {
    process.kill(-run.pid, 'SIGINT');
  } catch {
    // already gone
  }
  await Promise.race([new Promise((r) => run.once('exit', r)), sleep(15_000)]);
  await db?.stop().catch(() => undefined);
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

/**
 * What the board shows, read from the page as a clinician reads it: the count in the heading,
 * the tiles still loading, and for each tile fully on screen its state, whether its device is
 * silent, and the age of its HR and SpO2 (from the value's "measured ... ago" title).
 */
function readBoard() {
  const ageOf = (el) => {
    const title = el?.querySelector('.vital-age')?.getAttribute('title');
    if (!el?.querySelector('.vital-value') || !title) return null;
    const m = /measured (?:(\d+) h )?(?:(\d+) min)?\s*(?:(\d+) s)? ago/.exec(title);
    return m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : null;
  };
  const heading = document.querySelector('#board-title')?.textContent ?? '';
  const tiles = [...document.querySelectorAll('[data-testid="tile"]')];
  const visible = tiles
    .filter((t) => {
      const r = t.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    })
    .map((t) => ({
      name: t.querySelector('.tile-name')?.textContent ?? '',
      state: (t.querySelector('.tile-state')?.textContent ?? '').split(' ·')[0],
      silent: t.querySelector('.device-silent') !== null,
      hr: ageOf(t.querySelector('[data-testid="vital-heart_rate"]')),
      spo2: ageOf(t.querySelector('[data-testid="vital-spo2"]')),
    }));
  return {
    count: Number(/\((\d+)\)/.exec(heading)?.[1] ?? 0),
    rendered: tiles.length,
    loading: tiles.filter(
      (t) =>
        t.querySelector('[data-testid="tile-loading"]') || t.textContent.includes('Loading events'),
    ).length,
    visible,
  };
}

/**
 * Only a dosed session streams (the simulator's oximeter starts with monitoring): a tile
 * still before the dose, with its device silent (an adverse event of the demo) or ended has
 * no fresh value to show, and is counted apart instead of failing or flattering the ages.
 */
function tileKind(tile) {
  if (tile.state === 'Ended' || tile.state === 'Aborted') return 'ended';
  if (tile.silent) return 'silent';
  if (tile.state === 'Screening' || tile.state === 'Ready to dose') return 'screening';
  return 'streaming';
}

/** Every session on the board with its events loaded, and every visible streaming tile valued. */
function filled(board, live) {
  return (
    board.count >= live &&
    board.rendered > 0 &&
    board.loading === 0 &&
    board.visible.every((t) => tileKind(t) !== 'streaming' || (t.hr !== null && t.spo2 !== null))
  );
}

/** Stops the CPU profile, writes it, and names its heaviest functions by self time. */
async function saveProfile(cdp, file) {
  const { profile } = await cdp.send('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  // (program) is the browser's own work outside JavaScript: style, layout, paint, IPC.
  const native = Math.round(self.get('(program) :0') ?? 0);
  const gc = Math.round(self.get('(garbage collector) :0') ?? 0);
  const idle = Math.round(self.get('(idle) :0') ?? 0);
  // The page's own JavaScript: what a change to the dashboard's code moves.
  const script = Math.round(total) - idle - native - gc;
  const top = [...self]
    .filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
  return `  CPU profile ${file} (${Math.round(total)} ms sampled; scripting ${script} ms, (program) ${native} ms, GC ${gc} ms), heaviest by self time:
${top.map(([k, ms]) => `    ${Math.round(ms).toString().padStart(6)} ms  ${k}`).join('\n')}
`;
}

/** What each process of the run is, from its command line (null: as its parent). */
const kindOf = (cmd) =>
  /\/postgres /.test(cmd)
    ? 'PostgreSQL'
    : cmd.includes('apps/api/')
      ? 'API'
      : cmd.includes('apps/simulator/')
        ? 'simulator'
        : /chrom/i.test(cmd)
          ? 'Chromium'
          : null;

/** CPU ticks now: this run's processes by kind (the bench's own tree) and the machine's busy time. */
function cpuNow() {
  const kinds = treeTicksByKind(process.pid, kindOf);
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  kinds.set('machine', user + nice + system + irq + softirq + steal);
  return kinds;
}

/** "API 0.41, PostgreSQL 0.52, ...": cores each kind kept busy over `seconds`. */
function cpuShares(before, after, seconds) {
  const order = ['API', 'PostgreSQL', 'simulator', 'Chromium', 'machine'];
  return order
    .map((k) => `${k} ${(((after.get(k) ?? 0) - (before.get(k) ?? 0)) / 100 / seconds).toFixed(2)}`)
    .join(', ');
}

/** The API's worst event-loop delay (ms) since the last read, from its Prometheus metrics. */
async function apiLoopDelayMs() {
  const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const m = /^vigil_nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text);
  return m ? Math.round(Number(m[1]) * 1000) : null;
}

/**
 * The measured seconds with late values or a long task, and the one before each, side by side:
 * frames still arriving on time with late values on screen is the page; frames arriving late is
 * the server or the simulator (the API's loop delay tells which); few frames, the simulator.
 */
function stalls(timeline, longTaskEntries) {
  timeline.forEach((s) => {
    s.longMs = Math.round(
      longTaskEntries
        .filter((t) => t.at >= s.at && t.at < s.at + 1000)
        .reduce((a, t) => a + t.ms, 0),
    );
  });
  const marked = new Set();
  timeline.forEach((s, i) => {
    if (s.late > 0 || s.longMs > 0 || s.sockets > 0)
      [i - 1, i].forEach((j) => j >= 0 && marked.add(j));
  });
  if (marked.size === 0) return '';
  const typical = pct(
    timeline.map((s) => s.frames),
    0.5,
  );
  const rows = [...marked]
    .sort((a, b) => a - b)
    .map((i) => {
      const s = timeline[i];
      return `    ${String(i + 1).padStart(6)} ${String(s.frames).padStart(6)} ${s.deliveryMax.toFixed(1).padStart(9)} ${String(s.loopMs ?? '-').padStart(9)} ${String(s.longMs).padStart(9)} ${String(s.sockets).padStart(7)} ${String(s.late).padStart(6)}`;
    });
  return `  seconds with late values, long tasks or a new socket (and the second before; typically ${typical} frames a second):
    second frames max age s API loop ms long task ms sockets late
${rows.join('\n')}
`;
}

function summary(board) {
  const kinds = {};
  for (const t of board.visible) {
    const k = `${tileKind(t)}${tileKind(t) === 'streaming' && (t.hr === null || t.spo2 === null) ? ' without values' : ''}`;
    kinds[k] = (kinds[k] ?? 0) + 1;
  }
  return { count: board.count, rendered: board.rendered, loading: board.loading, visible: kinds };
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
  console.log(
    `[bench:board] ${live} live sessions at ${RATE} Hz; signing in after ${WARMUP_S} s, measuring for ${MEASURE_S} s`,
  );
  await sleep(WARMUP_S * 1000);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  // When each streamed reading reaches the browser (the socket's frame), against when it was
  // measured: what the server and the network add, apart from what the board adds on screen.
  const delivery = [];
  let measuring = false;
  // Each measured second: vitals frames received and their worst delivery, sockets opened, the
  // API's worst event-loop delay, the page's long tasks (ms) and its late values.
  const timeline = [];
  page.on('websocket', (ws) => {
    // A socket opened while measuring is a reconnect: the board resyncs every session.
    if (measuring && timeline.at(-1)) timeline.at(-1).sockets += 1;
    ws.on('framereceived', ({ payload }) => {
      if (!measuring || typeof payload !== 'string' || !payload.includes('vitals.recorded')) return;
      const m = /^\d+(?:\/[^,[]*,)?(\[.*\])$/s.exec(payload);
      if (!m) return;
      // One event a frame (`session.event`), or a commit's events in one (v1.6 `session.events`,
      // what the dashboard asks for).
      const [name, body] = JSON.parse(m[1]);
      const events =
        name === 'session.event' ? [body] : name === 'session.events' ? body.events : [];
      const second = timeline.at(-1);
      let vitals = 0;
      for (const event of events) {
        if (event?.type !== 'vitals.recorded') continue;
        const times = event.data.readings
          .filter((r) => r.kind === 'heart_rate')
          .map((r) => Date.parse(r.measuredAt));
        if (times.length === 0) continue;
        const age = (Date.now() - Math.max(...times)) / 1000;
        delivery.push(age);
        vitals += 1;
        if (second) second.deliveryMax = Math.max(second.deliveryMax, age);
      }
      if (second && vitals > 0) second.frames += 1;
    });
  });
  await page.addInitScript(() => {
    // React's commits, counted through the hook its DevTools use (React calls it when present):
    // how often the page re-rendered, a figure a loaded machine does not change as it does time.
    window.__commits = 0;
    window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
      supportsFiber: true,
      renderers: new Map(),
      inject: () => 1,
      onCommitFiberRoot: () => {
        window.__commits += 1;
      },
      onCommitFiberUnmount: () => undefined,
      onPostCommitFiberRoot: () => undefined,
      checkDCE: () => undefined,
    };
    // Tiles put into the board, taken out of it and moved within it (an insert of a tile already
    // seen), counted as the DOM sees them: how much the window and the risk order churn,
    // deterministic enough to compare on a loaded machine.
    window.__tiles = { mounted: 0, unmounted: 0, moved: 0 };
    const seen = new WeakSet();
    const isTile = (n) => n.nodeType === 1 && n.matches('li[data-testid="tile"]');
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (!isTile(n)) continue;
          if (seen.has(n)) window.__tiles.moved += 1;
          else window.__tiles.mounted += 1;
          seen.add(n);
        }
        for (const n of r.removedNodes)
          if (isTile(n) && !n.isConnected) window.__tiles.unmounted += 1;
      }
    }).observe(document, { childList: true, subtree: true });
    // Tiles whose contents changed, per frame that changed any, and how often a place on the
    // board took another session (tiles are keyed by place: a move of the risk order rewrites
    // every tile between the session's old and new places).
    window.__rewrites = { perFrame: [], reassigned: 0 };
    // A frame is asked for only once a mutation is seen (the mutation asks for one anyway): a
    // rAF loop of the bench's own would make Chromium render every 16 ms, an idle board too, and
    // count its own cost in the long tasks it measures.
    let touched = new Set();
    let asked = false;
    const frame = () => {
      if (touched.size > 0) window.__rewrites.perFrame.push(touched.size);
      touched = new Set();
      asked = false;
    };
    new MutationObserver((records) => {
      if (!asked) requestAnimationFrame(frame);
      asked = true;
      for (const r of records) {
        const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        const tile = el?.closest?.('li[data-testid="tile"]');
        if (!tile) continue;
        touched.add(tile);
        if (r.attributeName === 'data-session-id') window.__rewrites.reassigned += 1;
      }
    }).observe(document, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
    });
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__longTasks.push({ at: performance.timeOrigin + e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill('clinician@vigil.demo');
  await page.getByLabel('Password').fill('vigil-demo');
  const signIn = Date.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  let board = null;
  const filledBy = signIn + 120_000;
  // The fill's steps, each when first seen: every session listed, no rendered tile loading its
  // events, every visible streaming tile with its values (the filled board needs all three).
  const steps = { listed: null, loaded: null, valued: null };
  for (;;) {
    board = await page.evaluate(readBoard);
    const at = Date.now() - signIn;
    if (board.count >= live) steps.listed ??= at;
    if (board.rendered > 0 && board.loading === 0) steps.loaded ??= at;
    if (board.rendered > 0 && filled({ ...board, count: live, loading: 0 }, live))
      steps.valued ??= at;
    if (filled(board, live)) break;
    if (Date.now() > filledBy) {
      throw new Error(`board not filled after 120 s: ${JSON.stringify(summary(board))}`);
    }
    await sleep(100);
  }
  const filledMs = Date.now() - signIn;
  await page.evaluate(() => {
    window.__longTasks = [];
    window.__rewrites = { perFrame: [], reassigned: 0 };
    window.__commits = 0;
    window.__tiles = { mounted: 0, unmounted: 0, moved: 0 };
  });
  measuring = true;
  // Chromium's own counters of style and layout work (and their time) over the measured window.
  const metricsCdp = await page.context().newCDPSession(page);
  await metricsCdp.send('Performance.enable');
  const metrics = async () =>
    Object.fromEntries(
      (await metricsCdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]),
    );
  const metricsBefore = await metrics();
  const cpuBefore = cpuNow();
  const measuredFrom = Date.now();
  const statements = STATEMENTS ? new pg.Client(db.url) : null;
  const stored = async () =>
    Number((await statements.query('SELECT count(*)::int AS n FROM session_events')).rows[0].n);
  if (statements) {
    await statements.connect();
    await enableStatements(statements);
  }
  const before = statements && {
    snapshot: await statementsSnapshot(statements),
    stored: await stored(),
  };
  if (TRACE) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  const cdp = PROFILE ? metricsCdp : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }

  // Once a second: the age (s) of the streamed values (HR, SpO2) on every visible tile whose
  // session is streaming, and what the other visible tiles are.
  const ages = [];
  const late = new Map(); // tile name -> how many of its values were older than 2 s
  const seen = { streaming: 0, screening: 0, silent: 0, ended: 0, missing: 0 };
  for (let s = 0; s < MEASURE_S; s++) {
    timeline.push({ at: Date.now(), frames: 0, deliveryMax: 0, sockets: 0, late: 0, loopMs: null });
    await sleep(1000);
    timeline.at(-1).loopMs = await apiLoopDelayMs();
    board = await page.evaluate(readBoard);
    for (const tile of board.visible) {
      const kind = tileKind(tile);
      if (kind !== 'streaming') {
        seen[kind] += 1;
        continue;
      }
      seen.streaming += 1;
      for (const age of [tile.hr, tile.spo2]) {
        if (age === null) seen.missing += 1;
        else ages.push(age);
        if (age !== null && age <= 2) continue;
        timeline.at(-1).late += 1;
        late.set(tile.name, (late.get(tile.name) ?? 0) + 1);
      }
    }
  }
  const lateCount = [...late.values()].reduce((a, b) => a + b, 0);
  const lateSeconds = timeline.flatMap((second, i) => (second.late > 0 ? [i + 1] : []));
  const lateTiles = [...late]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  const rewrites = await page.evaluate(() => window.__rewrites);
  const longTaskEntries = await page.evaluate(() => window.__longTasks);
  const longTasks = longTaskEntries.map((t) => t.ms);
  const commits = await page.evaluate(() => window.__commits);
  const tileChurn = await page.evaluate(() => window.__tiles);
  const metricsAfter = await metrics();
  const cpu = cpuShares(cpuBefore, cpuNow(), (Date.now() - measuredFrom) / 1000);
  const after = statements && {
    snapshot: await statementsSnapshot(statements),
    stored: await stored(),
  };
  const delta = (k) => metricsAfter[k] - metricsBefore[k];
  const ms = (k) => Math.round(delta(k) * 1000).toLocaleString('en');
  measuring = false;
  const heaviest = cdp ? await saveProfile(cdp, PROFILE) : '';
  const traced = TRACE ? summariseTrace(await browser.stopTracing(), TRACE) : '';
  await page.screenshot({ path: join(root, 'test-results/screenshots/bench-board.png') });

  console.log(`
[bench:board] ${live} live sessions, ${RATE} Hz, default limits, Chromium 1920x1080, ${MEASURE_S} s after a ${WARMUP_S} s warm-up
  time to a filled board after sign-in : ${(filledMs / 1000).toFixed(1)} s (all listed ${sec(steps.listed)}, events loaded ${sec(steps.loaded)}, visible values ${sec(steps.valued)})
  long tasks over 50 ms                : ${longTasks.length}${longTasks.length ? ` (longest ${Math.round(Math.max(...longTasks))} ms)` : ''}
  React commits                        : ${commits} (${(commits / MEASURE_S).toFixed(1)}/s)
  tiles mounted / unmounted / moved    : ${tileChurn.mounted} / ${tileChurn.unmounted} / ${tileChurn.moved}
  tiles changed per frame that changed : p50 ${pct(rewrites.perFrame, 0.5) ?? '-'}, p90 ${pct(rewrites.perFrame, 0.9) ?? '-'} (${rewrites.perFrame.length} frames); a place given another session ${rewrites.reassigned} times
  style recalcs / layouts (Chromium)   : ${delta('RecalcStyleCount')} (${ms('RecalcStyleDuration')} ms) / ${delta('LayoutCount')} (${ms('LayoutDuration')} ms); script ${ms('ScriptDuration')} ms, tasks ${ms('TaskDuration')} ms
  reading to browser, HR (s)           : p50 ${pct(delivery, 0.5)?.toFixed(1)}, p95 ${pct(delivery, 0.95)?.toFixed(1)}, max ${delivery.length ? Math.max(...delivery).toFixed(1) : NaN} (${delivery.length} events)
  age of visible streamed values (s)   : p50 ${pct(ages, 0.5)}, p95 ${pct(ages, 0.95)}, max ${ages.length ? Math.max(...ages) : NaN} (${ages.length} samples, ${seen.missing} missing)
  values older than 2 s                : ${lateCount}${lateCount ? ` in ${lateSeconds.length} of ${MEASURE_S} seconds (seconds ${lateSeconds.slice(0, 12).join(' ')}${lateSeconds.length > 12 ? ' ...' : ''}; most: ${lateTiles})` : ''}
  visible tiles per second, summed     : ${seen.streaming} streaming; not streaming: ${seen.screening} before the dose, ${seen.silent} device silent, ${seen.ended} ended
  CPU, cores busy of ${String(cpus().length).padEnd(18)}: ${cpu}
${stalls(timeline, longTaskEntries)}${heaviest}${traced}${PG_LOG ? `  PostgreSQL's log: ${PG_LOG}\n` : ''}`);
  if (statements) {
    printStatements(before.snapshot, after.snapshot, after.stored - before.stored, 'bench:board');
    await statements.end();
  }
  await stop(0);
} catch (err) {
  console.error(`[bench:board] ${err.message}`);
  await page
    ?.screenshot({ path: join(root, 'test-results/screenshots/bench-board-failed.png') })
    .catch(() => undefined);
  await stop(1);
}
