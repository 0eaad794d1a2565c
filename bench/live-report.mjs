// Tables for bench/live.mjs: number formats, medians and the per-target summary of rounds.
import { cpus } from 'node:os';

export const fmt = (v, d = 1) => (v === null || v === undefined ? '-' : Number(v).toFixed(d));
export const median = (xs) => {
  const s = xs.filter((x) => x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};
export const line = (name, a, b, d = 1) =>
  console.log(`| ${name} | ${fmt(a, d)} | ${fmt(b, d)} | ${a && b ? fmt(b / a, 2) : '-'} |`);
export const machine = () =>
  console.log(`\nmachine: ${cpus().length} x ${cpus()[0].model}, Node ${process.version}`);

/** Per target, the valid rounds (else all) reduced to the figures the table prints. */
export function summarise(results) {
  const summary = {};
  for (const target of ['relay', 'vigil']) {
    const valid = results[target].filter((r) => !r.void);
    const rows = valid.length ? valid : results[target];
    if (rows.length === 0) continue;
    summary[target] = {
      validRounds: valid.length,
      deliveredPct: Math.min(...rows.map((r) => r.deliveredPct)),
      duplicates: rows.reduce((a, r) => a + r.duplicates, 0),
      gaps: rows.reduce((a, r) => a + r.gaps, 0),
      failed: rows.reduce((a, r) => a + r.failed, 0),
      // Why, over all rounds: an ack's error code, or the client's own timeout message.
      failureReasons: rows.reduce((acc, r) => {
        for (const [why, n] of Object.entries(r.failureReasons ?? {}))
          acc[why] = (acc[why] ?? 0) + n;
        return acc;
      }, {}),
      toldNotSaving: rows.reduce((a, r) => a + (r.toldNotSaving ?? 0), 0),
      p50: median(rows.map((r) => r.latencyMs.p50)),
      p99: median(rows.map((r) => r.latencyMs.p99)),
      max: Math.max(...rows.map((r) => r.latencyMs.max ?? 0)),
      ackP99: median(rows.map((r) => r.ackMs.p99)),
      cpuUs: median(rows.map((r) => r.serverCpuUsPerEvent)),
      pgCpuUs: median(rows.map((r) => r.pgCpuUsPerEvent)),
      rssMb: Math.max(...rows.map((r) => r.rssMb)),
      eventsPerSec: median(rows.map((r) => r.eventsPerSec)),
      offeredPerSec: median(rows.map((r) => r.offeredPerSec)),
      unavailablePerSec: median(rows.map((r) => r.unavailablePerSec)),
      timedOutPerSec: median(rows.map((r) => r.timedOutPerSec)),
      loadgenCpu: Math.max(...rows.map((r) => r.loadgenCpuPctOfCore)),
      loadgenLoopP99: median(rows.map((r) => r.loadgenLoopDelayMs?.p99 ?? null)),
      alertsReceivedPct: Math.min(
        ...rows.map((r) =>
          r.alertMs?.expected ? (100 * r.alertMs.received) / r.alertMs.expected : null,
        ),
      ),
      alertP95: median(rows.map((r) => r.alertMs?.p95 ?? null)),
      livePackets: median(rows.map((r) => r.livePerDashboardPerSec?.packets ?? null)),
      liveEvents: median(rows.map((r) => r.livePerDashboardPerSec?.events ?? null)),
      boardPackets: median(rows.map((r) => r.boardPerDashboardPerSec?.packets ?? null)),
      boardSummaries: median(rows.map((r) => r.boardPerDashboardPerSec?.summaries ?? null)),
    };
  }
  return summary;
}

/** bench:live's main table: relay and Vigil side by side, from `summarise`'s medians. */
export function printMainTable(s, { alertSessions, dashboards }) {
  console.log('| metric | relay | vigil | vigil / relay |');
  console.log('|---|---|---|---|');
  line(
    'valid rounds (load generator < 70% of a core)',
    s.relay.validRounds,
    s.vigil.validRounds,
    0,
  );
  line('offered per second', s.relay.offeredPerSec, s.vigil.offeredPerSec, 0);
  line('events submitted per second', s.relay.eventsPerSec, s.vigil.eventsPerSec, 0);
  line('refused `unavailable` per second', s.relay.unavailablePerSec, s.vigil.unavailablePerSec, 0);
  line('timed out (10 s) per second', s.relay.timedOutPerSec, s.vigil.timedOutPerSec, 0);
  line('refused or timed out (all rounds)', s.relay.failed, s.vigil.failed, 0);
  for (const target of ['relay', 'vigil'])
    if (s[target].failed > 0)
      console.log(`|   ${target}: ${JSON.stringify(s[target].failureReasons)} | | | |`);
  line('delivered % (worst round)', s.relay.deliveredPct, s.vigil.deliveredPct, 3);
  line('duplicates', s.relay.duplicates, s.vigil.duplicates, 0);
  line('gaps', s.relay.gaps, s.vigil.gaps, 0);
  line(
    'dashboards told "not saving" (all rounds)',
    s.relay.toldNotSaving,
    s.vigil.toldNotSaving,
    0,
  );
  line('submit -> dashboard p50 ms', s.relay.p50, s.vigil.p50);
  line('submit -> dashboard p99 ms', s.relay.p99, s.vigil.p99);
  line('submit -> dashboard max ms', s.relay.max, s.vigil.max);
  line('ack p99 ms', s.relay.ackP99, s.vigil.ackP99);
  line('server CPU us per event', s.relay.cpuUs, s.vigil.cpuUs);
  line('PostgreSQL CPU us per event', null, s.vigil.pgCpuUs);
  line('server RSS MB', s.relay.rssMb, s.vigil.rssMb, 0);
  line('load generator CPU % of a core (max)', s.relay.loadgenCpu, s.vigil.loadgenCpu, 0);
  // What the load generator's own event loop delays, it adds to the latencies it measures.
  line('load generator event-loop delay p99 ms', s.relay.loadgenLoopP99, s.vigil.loadgenLoopP99);
  // The relay sends one message per event; Vigil one per commit to a dashboard that asks (v1.6).
  line('live messages per dashboard per second', s.relay.livePackets, s.vigil.livePackets, 0);
  line('live events per dashboard per second', s.relay.liveEvents, s.vigil.liveEvents, 0);
  // The relay has no board: Vigil's figures only (v1.3 batches: about 4 packets a second).
  line('board packets per dashboard per second', null, s.vigil.boardPackets);
  line('board summaries per dashboard per second', null, s.vigil.boardSummaries);
  if (alertSessions > 0) {
    // The relay raises no alerts: Vigil's figures only.
    line(
      `alerts on the dashboards, % of ${alertSessions} x ${dashboards} (worst round)`,
      null,
      s.vigil.alertsReceivedPct,
      1,
    );
    line('SBP 186 submitted -> alert.raised on a clinician socket, p95 ms', null, s.vigil.alertP95);
  }
}

/** The ramp's table: the knee (the last rate that held) and twice the knee offered. */
export function printRampTable(knee, overload) {
  console.log('| metric | relay | vigil | vigil / relay |');
  console.log('|---|---|---|---|');
  line(
    'knee: acknowledged per second (p99 <= 100 ms, 100 % delivered)',
    knee.relay?.eventsPerSec,
    knee.vigil?.eventsPerSec,
    0,
  );
  line('knee: submit -> dashboard p99 ms', knee.relay?.latencyMs.p99, knee.vigil?.latencyMs.p99);
  line(
    '2x knee offered: acknowledged per second (goodput)',
    overload.relay?.eventsPerSec,
    overload.vigil?.eventsPerSec,
    0,
  );
  line(
    '2x knee: goodput / knee',
    overload.relay && overload.relay.eventsPerSec / knee.relay.eventsPerSec,
    overload.vigil && overload.vigil.eventsPerSec / knee.vigil.eventsPerSec,
    2,
  );
  line('2x knee: ack p99 ms', overload.relay?.ackMs.p99, overload.vigil?.ackMs.p99);
  line(
    '2x knee: offered per second',
    overload.relay?.offeredPerSec,
    overload.vigil?.offeredPerSec,
    0,
  );
  line(
    '2x knee: refused `unavailable` per second',
    overload.relay?.unavailablePerSec,
    overload.vigil?.unavailablePerSec,
    0,
  );
  line(
    '2x knee: timed out (10 s) per second',
    overload.relay?.timedOutPerSec,
    overload.vigil?.timedOutPerSec,
    0,
  );
  line(
    '2x knee: dashboards told "not saving" (no fault injected)',
    overload.relay?.toldNotSaving,
    overload.vigil?.toldNotSaving,
    0,
  );
  line(
    '2x knee: refused or timed out (clients retry)',
    overload.relay?.failed,
    overload.vigil?.failed,
    0,
  );
}

/** `--cross`: the dashboards on the phones' instance (single) or on the other one, over Redis. */
export function printCrossTable(rows) {
  const med = (where, pick) => median(rows[where].map(pick));
  console.log('| metric | single instance | cross-instance | cross / single |');
  console.log('|---|---|---|---|');
  line(
    'acknowledged per second',
    med('single', (r) => r.eventsPerSec),
    med('cross', (r) => r.eventsPerSec),
    0,
  );
  line(
    'delivered % (worst round)',
    Math.min(...rows.single.map((r) => r.deliveredPct)),
    Math.min(...rows.cross.map((r) => r.deliveredPct)),
    3,
  );
  line(
    'duplicates + gaps',
    rows.single.reduce((a, r) => a + r.duplicates + r.gaps, 0),
    rows.cross.reduce((a, r) => a + r.duplicates + r.gaps, 0),
    0,
  );
  line(
    'submit -> dashboard p50 ms',
    med('single', (r) => r.latencyMs.p50),
    med('cross', (r) => r.latencyMs.p50),
  );
  line(
    'submit -> dashboard p99 ms',
    med('single', (r) => r.latencyMs.p99),
    med('cross', (r) => r.latencyMs.p99),
  );
  // With Redis up, any is a false alarm (the echo check of realtime/redis-link.ts crying wolf).
  line(
    'dashboards told "delayed" (all rounds)',
    rows.single.reduce((a, r) => a + (r.toldDelayed ?? 0), 0),
    rows.cross.reduce((a, r) => a + (r.toldDelayed ?? 0), 0),
    0,
  );
}
