// `--runtime` for bench/live.mjs: Vigil's own Prometheus figures (its METRICS_PORT listener)
// over the measured window, to tell where a latency tail comes from: the event loop held (a long
// task or a GC pause: every socket waits), or the submission waiting for its group to commit
// (the database). Read at the window's start and end; the event-loop delay figures are those
// prom-client collected between the two reads (it resets its histogram on each read).

/** Every sample of the exposition text: `name{labels}` -> value. */
export async function scrapeMetrics(port) {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await res.text();
  const samples = new Map();
  for (const row of text.split('\n')) {
    if (!row || row.startsWith('#')) continue;
    const at = row.lastIndexOf(' ');
    samples.set(row.slice(0, at), Number(row.slice(at + 1)));
  }
  return samples;
}

const delta = (before, after, key) => (after.get(key) ?? 0) - (before.get(key) ?? 0);

/** The smallest bucket bound holding fraction `q` of the window's observations. */
function bucketQuantile(before, after, name, q) {
  const buckets = [...after.keys()]
    .filter((k) => k.startsWith(`${name}_bucket{`))
    .map((k) => ({ le: k.match(/le="([^"]+)"/)[1], n: delta(before, after, k) }))
    .map((b) => ({ le: b.le === '+Inf' ? Infinity : Number(b.le), n: b.n }))
    .sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.n ?? 0;
  if (total === 0) return null;
  return buckets.find((b) => b.n >= q * total)?.le ?? Infinity;
}

/** One line per figure, for the window between the two scrapes of `seconds`. */
export function printRuntime(before, after, seconds, label) {
  const ms = (s) => (s * 1000).toFixed(1);
  const lag = (k) => after.get(`vigil_nodejs_eventloop_lag_${k}_seconds`) ?? NaN;
  console.log(`\nVigil's runtime in the measured window (${label}, ${seconds.toFixed(1)} s):`);
  console.log(
    `- event loop delay: p50 ${ms(lag('p50'))} ms, p99 ${ms(lag('p99'))} ms, max ${ms(lag('max'))} ms`,
  );
  const kinds = ['minor', 'major', 'incremental', 'weakcb'];
  const gc = kinds
    .map((kind) => {
      const key = `vigil_nodejs_gc_duration_seconds_sum{kind="${kind}"}`;
      const n = delta(before, after, `vigil_nodejs_gc_duration_seconds_count{kind="${kind}"}`);
      return n > 0 ? `${kind} ${n} (${ms(delta(before, after, key))} ms)` : null;
    })
    .filter(Boolean);
  const gcMs = kinds.reduce(
    (s, kind) =>
      s + delta(before, after, `vigil_nodejs_gc_duration_seconds_sum{kind="${kind}"}`) * 1000,
    0,
  );
  console.log(
    `- GC: ${gc.join(', ') || 'none'}; ${(gcMs / seconds).toFixed(1)} ms paused per second`,
  );
  const groups = delta(before, after, 'vigil_group_commit_batch_size_count');
  const rows = delta(before, after, 'vigil_group_commit_batch_size_sum');
  const acked = delta(before, after, 'vigil_submission_ack_seconds_count');
  console.log(
    `- group commits: ${(groups / seconds).toFixed(1)} per s, ${(rows / Math.max(1, groups)).toFixed(1)} submissions each; queued -> committed p50 <= ${ms(bucketQuantile(before, after, 'vigil_submission_ack_seconds', 0.5) ?? NaN)} ms, p99 <= ${ms(bucketQuantile(before, after, 'vigil_submission_ack_seconds', 0.99) ?? NaN)} ms (${acked} submissions; bucket bounds)`,
  );
  const waiting = after.get('vigil_pg_pool_connections{state="waiting"}');
  const total = after.get('vigil_pg_pool_connections{state="total"}');
  console.log(`- PostgreSQL pool at the end: ${total} connections, ${waiting} callers waiting`);
}
