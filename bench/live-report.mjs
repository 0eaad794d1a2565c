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
