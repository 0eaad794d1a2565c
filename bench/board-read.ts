// npm run bench:board-read -- [--sessions 50] [--hours 2] [--rounds 5]
// What a board's `readings: 'latest'` watch costs the server as sessions grow long (issue 12):
// one `sessions.watch` chunk of SESSIONS sessions, each HOURS into a 1 Hz stream (HR and SpO2
// every second, BP every 5 minutes, a check-in every 15 minutes, one temperature at the dose).
// Times `readAfterMany` (the server's read, projection `session_latest_readings`) against the
// statement it ran before that table (every row after `after` read out, the superseded readings
// cut before parsing), both over the same database in the same run, and the migration that fills
// the table on upgrade. Then the alert engine's read over the same log (`readEventsAfterMany`:
// the events after each engine's last pass, here the last five of every session) against the
// join it ran before (a hash join over the whole table, whatever the log's length).
// PostgreSQL: TEST_DATABASE_URL, else 127.0.0.1:5432, else embedded.
// A script with printed figures for a quiet machine, not a CI step.
import { parseArgs } from 'node:util';
import { DataSource, type EntityManager } from 'typeorm';
import { latestReadingsKept, type LoggedReadings } from '@vigil/contracts';
import { MIGRATIONS } from '../apps/api/src/database/migrations';
import { LatestReadings1764190050000 } from '../apps/api/src/database/migrations/1764190050000-latest-readings';
import { readAfterMany, readEventsAfterMany } from '../apps/api/src/modules/events/event-reads';
import { toSessionEvent } from '../apps/api/src/modules/events/event-store';
import { WATCH_BACKLOG_LIMIT } from '../apps/api/src/modules/realtime/watch.service';
import { seedSessions } from '../test/support/factories';
import { openDatabase } from '../scripts/faults/cluster';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '50' },
    hours: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '5' },
  },
});
const SESSIONS = Number(values.sessions);
const SECONDS = Math.round(Number(values.hours) * 3600);
const ROUNDS = Number(values.rounds);

type Row = Parameters<typeof toSessionEvent>[0] & { watched_id: string; head_seq: string };

/**
 * The baseline: the board's read as `63208f8` ran it, before `session_latest_readings`: every
 * row after `after` comes out of the database and the cut runs on the raw rows, parsing only what
 * it keeps. Kept here only to be measured against.
 */
async function readBefore(manager: EntityManager, ids: string[]): Promise<number> {
  const rows: Row[] = await manager.query(
    `SELECT w.id AS watched_id, s.head_seq, e.session_id, e.seq, e.type, e.actor_id, e.at, e.data
       FROM unnest($1::uuid[], $2::bigint[]) AS w(id, after)
       JOIN sessions s ON s.id = w.id
       LEFT JOIN LATERAL (
         SELECT * FROM session_events
          WHERE session_id = w.id AND seq > w.after ORDER BY seq LIMIT $3) e ON true
      ORDER BY w.id, e.seq`,
    [ids, ids.map(() => 0), WATCH_BACKLOG_LIMIT],
  );
  let sent = 0;
  for (const id of ids) {
    const found = rows.filter((r) => r.watched_id === id && r.seq !== null);
    const kept = latestReadingsKept(
      found.map((r): LoggedReadings => ({
        seq: Number(r.seq),
        at: r.at.toISOString(),
        readings:
          r.type === 'vitals.recorded' ? (r.data.readings as LoggedReadings['readings']) : null,
      })),
    );
    sent += found.filter((r) => kept.has(Number(r.seq))).map(toSessionEvent).length;
  }
  return sent;
}

async function readNow(manager: EntityManager, ids: string[]): Promise<number> {
  const read = await readAfterMany(
    manager,
    ids.map((sessionId) => ({ sessionId, after: 0, readings: 'latest' as const })),
    WATCH_BACKLOG_LIMIT,
  );
  return [...read.values()].reduce((n, r) => n + r.events.length, 0);
}

/** The alert engine's read as it was before 2026-12-04: a join PostgreSQL ran as a hash join. */
async function engineReadBefore(
  manager: EntityManager,
  after: Map<string, number>,
): Promise<number> {
  const rows: unknown[] = await manager.query(
    `SELECT e.session_id, e.seq, e.type, e.data
       FROM session_events e
       JOIN unnest($1::uuid[], $2::bigint[]) AS k(id, after) ON e.session_id = k.id AND e.seq > k.after
      ORDER BY e.session_id, e.seq`,
    [[...after.keys()], [...after.values()]],
  );
  return rows.length;
}

async function engineReadNow(manager: EntityManager, after: Map<string, number>): Promise<number> {
  let n = 0;
  for (const events of (await readEventsAfterMany(manager, after)).values()) n += events.length;
  return n;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

type Read = [label: string, read: (manager: EntityManager) => Promise<number>];

/**
 * Times two reads of the same rows in interleaved rounds, each in its own transaction, prints
 * their table and the ratio of their medians, and fails the run if they returned different counts.
 */
async function compare(ds: DataSource, header: string, before: Read, now: Read): Promise<void> {
  const times: [number[], number[]] = [[], []];
  const counts = [0, 0];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, read]] of [before, now].entries()) {
      const [ms, n] = await timed(() => ds.transaction(read));
      times[i].push(ms);
      counts[i] = n;
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const range = (xs: number[]) =>
    `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)} ms (median ${median(xs).toFixed(0)})`;
  console.log(`${header} time over ${ROUNDS} rounds |`);
  console.log(`| --- | --- | --- |`);
  console.log(`| ${before[0]} | ${counts[0]} | ${range(times[0])} |`);
  console.log(`| ${now[0]} | ${counts[1]} | ${range(times[1])} |`);
  console.log(`ratio before / now (medians): ${(median(times[0]) / median(times[1])).toFixed(1)}x`);
  if (counts[0] !== counts[1]) {
    console.error(`[bench:board-read] ${before[0]} and ${now[0]} returned different rows`);
    process.exitCode = 1;
  }
}

async function main(): Promise<void> {
  const db = await openDatabase();
  const ds = new DataSource({
    type: 'postgres',
    url: db.url,
    migrations: MIGRATIONS.filter((m) => m !== LatestReadings1764190050000),
    extra: { max: 2 },
  });
  try {
    await ds.initialize();
    await ds.runMigrations();
    const ids = await seedSessions(ds, SESSIONS);
    const [filled] = await timed(() =>
      ds.query(
        `WITH t AS (SELECT g, timestamptz '2026-12-03 08:00:00+00' + g * interval '1 second' AS at
                      FROM generate_series(1, $2::int) g),
              iso AS (SELECT g, at, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS m FROM t)
         INSERT INTO session_events (session_id, seq, type, at, data)
         SELECT s.id, iso.g, CASE WHEN iso.g % 900 = 0 THEN 'checkin.recorded' ELSE 'vitals.recorded' END,
                iso.at,
                CASE
                  WHEN iso.g % 900 = 0 THEN jsonb_build_object('moaas', 5)
                  ELSE jsonb_build_object('readings',
                    jsonb_build_array(
                      jsonb_build_object('kind', 'heart_rate', 'value', 70 + iso.g % 20, 'measuredAt', iso.m),
                      jsonb_build_object('kind', 'spo2', 'value', 95 + iso.g % 4, 'measuredAt', iso.m))
                    || CASE WHEN iso.g = 1 THEN jsonb_build_array(
                         jsonb_build_object('kind', 'temperature', 'value', 36.8, 'measuredAt', iso.m))
                       ELSE '[]'::jsonb END
                    || CASE WHEN iso.g % 300 = 0 THEN jsonb_build_array(
                         jsonb_build_object('kind', 'bp_systolic', 'value', 120, 'measuredAt', iso.m),
                         jsonb_build_object('kind', 'bp_diastolic', 'value', 80, 'measuredAt', iso.m))
                       ELSE '[]'::jsonb END)
                END
           FROM unnest($1::uuid[]) AS s(id) CROSS JOIN iso`,
        [ids, SECONDS],
      ),
    );
    await ds.query(`UPDATE sessions SET head_seq = $2 WHERE id = ANY($1::uuid[])`, [ids, SECONDS]);
    await ds.query(`VACUUM ANALYZE session_events`);
    const runner = ds.createQueryRunner();
    const [migrated] = await timed(() => new LatestReadings1764190050000().up(runner));
    await runner.release();
    await ds.query(`ANALYZE session_latest_readings`);

    console.log(
      `[bench:board-read] ${db.where}: ${SESSIONS} sessions x ${SECONDS} events ` +
        `(${(SESSIONS * SECONDS).toLocaleString('en')} rows) stored in ${(filled / 1000).toFixed(1)} s; ` +
        `the migration filled session_latest_readings in ${(migrated / 1000).toFixed(1)} s`,
    );
    // Interleaved rounds, each read in its own transaction as a watch chunk is.
    await compare(
      ds,
      '| read | events sent |',
      ['before (all rows, cut before parse)', (m) => readBefore(m, ids)],
      ['session_latest_readings', (m) => readNow(m, ids)],
    );
    const after = new Map(ids.map((id) => [id, SECONDS - 5]));
    await compare(
      ds,
      "| alert engine's read (5 events after each session's last pass) | events |",
      ['before (join)', (m) => engineReadBefore(m, after)],
      ['readEventsAfterMany (per session, LATERAL)', (m) => engineReadNow(m, after)],
    );
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await db.close();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
