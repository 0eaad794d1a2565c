// `--statements` for bench/live.mjs: PostgreSQL's own account of the statements Vigil ran in the
// measured window (pg_stat_statements, shipped with the embedded binaries), per acknowledged
// event. The extension costs some CPU itself, so a run with it is for counting, not for timing.
import { readdirSync, readFileSync } from 'node:fs';

/** Server flags that load the extension; planning time is tracked too (unnamed statements). */
export const STATEMENT_FLAGS = [
  '-c',
  'shared_preload_libraries=pg_stat_statements',
  '-c',
  'pg_stat_statements.track_planning=on',
  '-c',
  'pg_stat_statements.max=5000',
];

export async function enableStatements(client) {
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
}

/** Every statement's running totals now (keyed by queryid), to subtract one snapshot from another. */
export async function statementsSnapshot(client) {
  const { rows } = await client.query(
    `SELECT queryid::text AS id, query, calls::float8 AS calls, rows::float8 AS rows,
            total_exec_time AS exec_ms, total_plan_time AS plan_ms
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

const oneLine = (sql, width) => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
};

/**
 * The window's statements, most time first: calls and rows per acknowledged event, mean time per
 * call (execution + planning) and share of all statement time. Returns the rows for the caller.
 */
export function printStatements(before, after, events, label) {
  const rows = [];
  for (const [id, a] of after) {
    const b = before.get(id) ?? { calls: 0, rows: 0, exec_ms: 0, plan_ms: 0 };
    const calls = a.calls - b.calls;
    if (calls <= 0) continue;
    rows.push({
      query: a.query,
      calls,
      rows: a.rows - b.rows,
      ms: a.exec_ms - b.exec_ms + (a.plan_ms - b.plan_ms),
      planMs: a.plan_ms - b.plan_ms,
    });
  }
  rows.sort((x, y) => y.ms - x.ms);
  const totalMs = rows.reduce((s, r) => s + r.ms, 0);
  const totalCalls = rows.reduce((s, r) => s + r.calls, 0);
  const planMs = rows.reduce((s, r) => s + r.planMs, 0);
  console.log(
    `\nstatements in the measured window (${label}): ${events} events acknowledged, ${totalCalls} statements, ${(totalCalls / events).toFixed(2)} per event, ${((totalMs * 1000) / events).toFixed(1)} µs statement time per event (planning ${((planMs * 1000) / events).toFixed(1)} µs)`,
  );
  console.log('| statement | calls / event | rows / call | mean µs (planning) | share of time |');
  console.log('|---|---|---|---|---|');
  for (const r of rows.slice(0, 25)) {
    console.log(
      `| \`${oneLine(r.query, 90).replace(/\|/g, '\\|')}\` | ${(r.calls / events).toFixed(3)} | ${(r.rows / r.calls).toFixed(1)} | ${((r.ms * 1000) / r.calls).toFixed(1)} (${((r.planMs * 1000) / r.calls).toFixed(1)}) | ${((100 * r.ms) / totalMs).toFixed(1)} % |`,
    );
  }
  return rows;
}

/**
 * PostgreSQL's CPU ticks by process kind (backend, walwriter, autovacuum, ...) from /proc, with
 * the reaped children's time under "exited": where the server's CPU goes besides statements.
 */
export function postgresTicksByKind(postmasterPid) {
  const kinds = new Map();
  const add = (kind, ticks) => kinds.set(kind, (kinds.get(kind) ?? 0) + ticks);
  const fieldsOf = (pid) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  };
  try {
    const f = fieldsOf(postmasterPid);
    add('postmaster', Number(f[11]) + Number(f[12]));
    add('exited children', Number(f[13]) + Number(f[14]));
  } catch {
    return kinds;
  }
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = fieldsOf(d);
      if (Number(f[1]) !== postmasterPid) continue;
      const title = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      // "postgres: postgres vigil_bench 127.0.0.1(5432) idle" is a client backend.
      const kind = /postgres: \S+ \S+ \d/.test(title)
        ? 'client backends'
        : title.replace(/^postgres: /, '').replace(/\s+$/, '');
      add(kind, Number(f[11]) + Number(f[12]));
    } catch {
      /* gone */
    }
  }
  return kinds;
}

export function printPostgresCpu(before, after, events) {
  console.log('| PostgreSQL process | CPU µs per event |');
  console.log('|---|---|');
  for (const [kind, ticks] of after) {
    const us = ((ticks - (before.get(kind) ?? 0)) * 1e4) / events; // USER_HZ 100: a tick is 10 ms
    if (us > 0) console.log(`| ${kind} | ${us.toFixed(1)} |`);
  }
}

/**
 * Rows written per table (inserted, updated and how many of those were HOT, deleted) and the WAL
 * written (records, full-page images, bytes): a write that is not HOT also writes every index.
 * The tables' counters reach the shared statistics within about a second of each commit.
 */
export async function writesSnapshot(client) {
  const tables = await client.query(
    `SELECT relname, n_tup_ins::float8 AS ins, n_tup_upd::float8 AS upd,
            n_tup_hot_upd::float8 AS hot, n_tup_del::float8 AS del
       FROM pg_stat_user_tables`,
  );
  const wal = await client.query(
    `SELECT wal_records::float8 AS records, wal_fpi::float8 AS fpi, wal_bytes::float8 AS bytes
       FROM pg_stat_wal`,
  );
  return { tables: new Map(tables.rows.map((r) => [r.relname, r])), wal: wal.rows[0] };
}

export function printWrites(before, after, events) {
  const per = (n) => (n / events).toFixed(3);
  console.log('| table | inserted / event | updated / event | of which HOT | deleted / event |');
  console.log('|---|---|---|---|---|');
  for (const [name, a] of after.tables) {
    const b = before.tables.get(name) ?? { ins: 0, upd: 0, hot: 0, del: 0 };
    const [ins, upd, hot, del] = ['ins', 'upd', 'hot', 'del'].map((k) => a[k] - b[k]);
    if (ins + upd + del === 0) continue;
    const hotPct = upd > 0 ? `${((100 * hot) / upd).toFixed(0)} %` : '-';
    console.log(`| ${name} | ${per(ins)} | ${per(upd)} | ${hotPct} | ${per(del)} |`);
  }
  const wal = (k) => after.wal[k] - before.wal[k];
  console.log(
    `WAL per event: ${per(wal('records'))} records, ${per(wal('fpi'))} full-page images, ${(wal('bytes') / events).toFixed(0)} bytes`,
  );
}
