// The load generator, in its own process: N patient sockets submitting vitals at `rate` Hz and
// D dashboards each watching every session. Prints one JSON line of measurements.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { url, patients, dashboards, warmupMs, measureMs, rate } = cfg;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// clientIds are unique per run: a reused id with another body is (rightly) a conflict.
const RUN = Math.random().toString(36).slice(2, 8);

function connect(token, at = url, extraAuth = {}) {
  return new Promise((resolve, reject) => {
    const s = io(`${at}/live`, {
      auth: { token, ...extraAuth },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

async function pool(items, limit, fn) {
  let i = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

const sent = new Map(); // `${sessionId}|${measuredAt}` -> performance.now() at send
const perDashboard = []; // Map sessionId -> last seq
let received = 0,
  duplicates = 0,
  gaps = 0,
  measuring = false;
const latencies = [];
const ackLatencies = [];
let acked = 0,
  failed = 0;
// Within the measured window, by when they were sent: offered, refused (`unavailable`, to be
// retried from the outbox), timed out (10 s without an ack: the overload collapse).
const measured = { offered: 0, settled: 0, unavailable: 0, timedOut: 0 };
const reasons = {};
// --alerts K: SBP 186 submitted once into K sessions; time until each dashboard has the alert.
const alertSentAt = new Map();
const alertSeen = new Set();
const alertLatencies = [];

// --cross: the dashboards on another instance than the phones.
// As the dashboard does: board summaries as one `board.batch` per flush (v1.3), and a commit's
// live events as one `session.events` (v1.6; `--events event` asks for one message per event).
const dash = await Promise.all(
  cfg.dashboardTokens.map((t) =>
    connect(t, cfg.dashUrl ?? url, { board: 'batch', events: cfg.eventFormat ?? 'batch' }),
  ),
);
// Live messages to the dashboards in the measured window, and the events they carry.
const live = { packets: 0, events: 0 };
// Board traffic in the measured window: packets (frames) and the summaries they carry.
const board = { packets: 0, summaries: 0 };
// `server.status` saying the database is unavailable (v1.8), or the other instances' events
// delayed (v1.2, Redis down or its echo lost), at any time of the run: with no fault injected,
// each is a dashboard falsely told "not saving" or "delayed" (a relay never sends either).
let toldNotSaving = 0;
let toldDelayed = 0;
dash.forEach((socket, d) => {
  socket.on('server.status', (status) => {
    if (status.database?.state === 'unavailable') toldNotSaving++;
    if (status.crossInstanceDelivery === 'degraded') toldDelayed++;
  });
  const last = new Map();
  perDashboard.push(last);
  socket.on('board.batch', ({ summaries }) => {
    if (!measuring) return;
    board.packets++;
    board.summaries += summaries.length;
  });
  // A server older than v1.3 (the A/B's base) sends one packet per summary.
  socket.on('board.updated', () => {
    if (!measuring) return;
    board.packets++;
    board.summaries++;
  });
  // A relay, a server older than v1.6 or `--events event`: one message per event.
  socket.on('session.event', (e) => {
    if (measuring) live.packets++;
    onEvent(e);
  });
  socket.on('session.events', ({ events }) => {
    if (measuring) live.packets++;
    for (const e of events) onEvent(e);
  });
  function onEvent(e) {
    if (measuring) live.events++;
    const alertT0 = alertSentAt.get(e.sessionId);
    if (
      e.type === 'alert.raised' &&
      alertT0 !== undefined &&
      !alertSeen.has(`${d}|${e.sessionId}`)
    ) {
      alertSeen.add(`${d}|${e.sessionId}`);
      alertLatencies.push(performance.now() - alertT0);
    }
    const prev = last.get(e.sessionId) ?? 0;
    if (e.seq <= prev) duplicates++;
    else {
      if (e.seq !== prev + 1 && prev !== 0) gaps += e.seq - prev - 1;
      last.set(e.sessionId, e.seq);
    }
    const entry = sent.get(`${e.sessionId}|${e.data.readings?.[0]?.measuredAt}`);
    if (entry?.inWindow) {
      received++;
      latencies.push(performance.now() - entry.t0);
    }
  }
});
// As the dashboard does: sessions.watch in lists of 50 (v1.1), one list after another.
const WATCH_LIST = 50;
for (const socket of dash) {
  const seen = perDashboard[dash.indexOf(socket)];
  for (let i = 0; i < cfg.sessionIds.length; i += WATCH_LIST) {
    const list = cfg.sessionIds.slice(i, i + WATCH_LIST);
    const ack = await socket.timeout(30000).emitWithAck('sessions.watch', {
      sessions: list.map((sessionId) => ({ sessionId, afterSeq: 0 })),
    });
    if (!ack.ok) throw new Error(`watch refused: ${JSON.stringify(ack)}`);
    for (const slot of ack.sessions) {
      if (!slot.ok) throw new Error(`watch refused: ${JSON.stringify(slot)}`);
      const lastSeq = slot.events.length ? slot.events[slot.events.length - 1].seq : 0;
      seen.set(slot.sessionId, Math.max(lastSeq, seen.get(slot.sessionId) ?? 0));
    }
  }
}
const phones = [];
process.stdout.write('BEFORE\n'); // the orchestrator reads the server's RSS before the phones
await pool(
  cfg.patientTokens.map((t, i) => [t, i]),
  100,
  async ([t, i]) => {
    phones[i] = await connect(t);
  },
);

if (cfg.idle) {
  // Idle mode: authenticated sockets that stay connected and send nothing (memory per socket).
  await sleep(warmupMs);
  process.stdout.write('MEASURING\n');
  await sleep(measureMs);
  process.stdout.write('MEASURED\n');
  const connected = phones.filter((p) => p.connected).length;
  process.stdout.write(`RESULT ${JSON.stringify({ idle: true, connected })}\n`);
  for (const p of phones) p.disconnect();
  process.exit(0);
}

/** Where the run is when an answer comes: before, in or after the measured window. */
let measuredOnce = false;
const phase = () => (measuring ? 'in the window' : measuredOnce ? 'after it' : 'in the warm-up');

let expectedDeliveries = 0;
let n = 0;
function submit(i) {
  const socket = phones[i];
  const sessionId = cfg.sessionIds[i];
  const measuredAt = new Date(Date.now() + (n++ % 1000)).toISOString();
  const key = `${sessionId}|${measuredAt}`;
  const t0 = performance.now();
  const inWindow = measuring;
  sent.set(key, { t0, inWindow });
  if (inWindow) measured.offered++;
  socket
    .timeout(10000)
    .emitWithAck('vitals.submit', {
      sessionId,
      clientId: `${RUN}-p${i}-${n}`,
      readings: [{ kind: 'spo2', value: 94 + (i % 5), measuredAt }],
    })
    .then((ack) => {
      if (inWindow) measured.settled++;
      if (!ack.ok) {
        // By code, message and phase: a refusal in the warm-up is the server catching up with
        // 2,000 phones starting at once, one in the window is the load it cannot carry.
        const why = `${ack.error?.code ?? 'unknown'} (${ack.error?.message ?? ''}) ${phase()}`;
        reasons[why] = (reasons[why] ?? 0) + 1;
        if (inWindow && ack.error?.code === 'unavailable') measured.unavailable++;
        return void failed++;
      }
      if (inWindow) {
        acked++;
        expectedDeliveries += dashboards;
        ackLatencies.push(performance.now() - t0);
      }
    })
    .catch((err) => {
      const why = `${err.message} ${phase()}`;
      reasons[why] = (reasons[why] ?? 0) + 1;
      if (inWindow) {
        measured.settled++;
        measured.timedOut++;
      }
      failed++;
    });
}

// Spread each second's submissions evenly: patient i fires at offset i/patients of the period.
const period = 1000 / rate;
const started = performance.now();
let stop = false;
const timers = phones.map((_, i) =>
  setTimeout(
    function tick() {
      if (stop) return;
      submit(i);
      timers[i] = setTimeout(tick, period);
    },
    (i / phones.length) * period,
  ),
);

await sleep(warmupMs);
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
// The load generator's own event loop: what it delays, it adds to every latency it measures.
const ownLoop = monitorEventLoopDelay({ resolution: 1 });
ownLoop.enable();
measuring = true;
process.stdout.write(`MEASURING\n`);
if (cfg.alertSessions > 0) {
  await sleep(Math.min(2000, measureMs / 4));
  // Each SBP goes as a phone's outbox sends it: retried with the same clientId after a refusal
  // ("busy") or a timeout until acknowledged, the time counted from the first send.
  const sendUntilAcked = async (i, sessionId, body) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const ack = await phones[i].timeout(10000).emitWithAck('vitals.submit', body);
        if (ack.ok || !['unavailable', 'rate_limited', 'internal'].includes(ack.error?.code))
          return;
      } catch {
        /* timed out: send again */
      }
      await sleep(500 + Math.random() * 500);
    }
  };
  for (let k = 0; k < Math.min(cfg.alertSessions, phones.length); k++) {
    // Sessions no earlier round of this run used (live.mjs passes the offset).
    const i = ((cfg.alertOffset ?? 0) + k) % phones.length;
    const sessionId = cfg.sessionIds[i];
    alertSentAt.set(sessionId, performance.now());
    void sendUntilAcked(i, sessionId, {
      sessionId,
      clientId: `${RUN}-sbp-${i}`,
      readings: [{ kind: 'bp_systolic', value: 186, measuredAt: new Date().toISOString() }],
    });
  }
  await sleep(measureMs - Math.min(2000, measureMs / 4));
} else await sleep(measureMs);
measuring = false;
measuredOnce = true;
const cpu1 = process.cpuUsage(cpu0);
const wall1 = performance.now();
ownLoop.disable();
process.stdout.write(`MEASURED\n`);
stop = true;
timers.forEach(clearTimeout);
await sleep(2000); // let in-flight events land
// Past capacity: what was sent in the window gets its ack or its 10 s timeout before counting.
for (let waited = 2000; measured.settled < measured.offered && waited < 11_000; waited += 250)
  await sleep(250);
const pct = (arr, p) => {
  if (arr.length === 0) return null;
  const s = [...arr].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const result = {
  acked,
  failed,
  reasons,
  measured,
  expectedDeliveries,
  received,
  deliveredPct: expectedDeliveries
    ? (100 * Math.min(received, expectedDeliveries)) / expectedDeliveries
    : 0,
  duplicates,
  gaps,
  toldNotSaving,
  toldDelayed,
  latencyMs: {
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    max: latencies.length ? latencies.reduce((a, b) => (b > a ? b : a), 0) : null,
  },
  ackMs: { p50: pct(ackLatencies, 50), p99: pct(ackLatencies, 99) },
  alertMs: {
    expected: alertSentAt.size * dashboards,
    received: alertLatencies.length,
    p50: pct(alertLatencies, 50),
    p95: pct(alertLatencies, 95),
  },
  livePerDashboardPerSec: dashboards
    ? {
        packets: (1000 * live.packets) / dashboards / (wall1 - wall0),
        events: (1000 * live.events) / dashboards / (wall1 - wall0),
      }
    : null,
  boardPerDashboardPerSec: dashboards
    ? {
        packets: (1000 * board.packets) / dashboards / (wall1 - wall0),
        summaries: (1000 * board.summaries) / dashboards / (wall1 - wall0),
      }
    : null,
  loadgenCpuPctOfCore: (100 * (cpu1.user + cpu1.system)) / 1000 / (wall1 - wall0),
  loadgenLoopDelayMs: {
    p99: ownLoop.percentile(99) / 1e6,
    max: ownLoop.max / 1e6,
  },
  elapsedMs: wall1 - started,
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
for (const s of [...dash, ...phones]) s.disconnect();
process.exit(0);
