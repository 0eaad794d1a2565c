import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../apps/api/src/database/data-source-options';
import { MIGRATIONS } from '../apps/api/src/database/migrations';
import { readEventsAfterMany } from '../apps/api/src/modules/events/event-reads';
import { FIND_CLIENT_IDS } from '../apps/api/src/modules/events/event-store';
import { seedSessions } from './support/factories';
import { createTestDatabase } from './support/test-app';

const SESSIONS = 20;
const EVENTS = 1500;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];
const scansOfLog = (plan: PlanNode) =>
  nodesOf(plan).filter((n) => n['Relation Name'] === 'session_events');

/** A migrated database with SESSIONS sessions and, once `fill` runs, EVENTS events in each. */
async function logDatabase() {
  const db = await createTestDatabase();
  const ds = new DataSource({ ...buildDataSourceOptions(db.url), migrations: MIGRATIONS });
  await ds.initialize();
  await ds.runMigrations();
  const ids = await seedSessions(ds, SESSIONS);
  const fill = async () => {
    await ds.query(
      `INSERT INTO session_events (session_id, seq, type, at, client_id, body_hash, data)
       SELECT s.id, g, 'vitals.recorded', now(), 'c-' || g, 'h-' || g,
              jsonb_build_object('readings', jsonb_build_array(
                jsonb_build_object('kind', 'heart_rate', 'value', 70 + g % 20,
                                   'measuredAt', '2026-12-04T08:00:00.000Z')))
         FROM unnest($1::uuid[]) AS s(id) CROSS JOIN generate_series(1, $2::int) g`,
      [ids, EVENTS],
    );
    await ds.query(`UPDATE sessions SET head_seq = $2 WHERE id = ANY($1::uuid[])`, [ids, EVENTS]);
  };
  return { ds, ids, fill, drop: db.drop };
}

/**
 * The alert engine reads, every pass, the events after each session's last pass: a few rows per
 * session. As a plain join PostgreSQL planned it as a hash join over a sequential scan of the
 * whole log (it cannot see `after` when it plans, and guesses a third of each session's events),
 * so every pass read every event ever stored: 132 ms two hours into 50 sessions, against 7 ms by
 * key (`npm run bench:board-read`). This holds the statement the code sends to a plan that reads
 * each session's range of the primary key, on a log large enough for the planner to choose.
 */
describe('readEventsAfterMany: the alert engine reads each session by key, not the whole log', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let ids: string[] = [];

  beforeAll(async () => {
    const db = await logDatabase();
    ({ ds, ids, drop } = db);
    await db.fill();
    await ds.query(`ANALYZE session_events`);
  }, 60_000);
  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });

  it('returns each session’s events after its seq, in order, through primary-key ranges', async () => {
    const after = new Map(ids.map((id, i) => [id, EVENTS - 1 - (i % 5)]));
    let sent: { sql: string; params: unknown[] } | null = null;
    const recording = {
      query: (sql: string, params: unknown[]) => {
        sent = { sql, params };
        return ds.query(sql, params);
      },
    } as unknown as Parameters<typeof readEventsAfterMany>[0];
    const read = await readEventsAfterMany(recording, after);
    for (const [id, from] of after)
      expect(read.get(id)?.map((e) => e.seq)).toEqual(
        Array.from({ length: EVENTS - from }, (_, k) => from + 1 + k),
      );

    const statement = sent as unknown as { sql: string; params: unknown[] };
    const [{ 'QUERY PLAN': plan }] = await ds.query<Array<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>>(
      `EXPLAIN (FORMAT JSON) ${statement.sql}`,
      statement.params,
    );
    const scans = scansOfLog(plan[0].Plan);
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.map((n) => n['Node Type'])).not.toContain('Seq Scan');
  });
});

/**
 * The group commit's idempotency lookup is a named statement: after five runs a connection keeps
 * one generic plan, and keeps it until the next ANALYZE. As a plain join, a plan made while the
 * log was nearly empty (a new install, a bench's first minute) was a hash join over a sequential
 * scan, then read the whole log on every group commit as it grew. Made on an empty log, this
 * plan must still look each key up in the (session_id, client_id) index.
 */
describe('the idempotency lookup: a plan made on an empty log still reads by key', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let ids: string[] = [];
  let result: {
    found: Array<{ session_id: string; client_id: string; seq: string; body_hash: string }>;
    plan: PlanNode;
  };

  beforeAll(async () => {
    const db = await logDatabase();
    ({ ds, ids, drop } = db);
    const runner = ds.createQueryRunner();
    try {
      await runner.query(`SET plan_cache_mode = force_generic_plan`);
      await runner.query(`PREPARE find_client_ids AS ${FIND_CLIENT_IDS.text}`);
      // Planned now, on the empty log, and cached for this connection.
      await runner.query(`EXECUTE find_client_ids('{${ids[0]}}', '{c-1}')`);
      await db.fill();
      const keys = ids.slice(0, 3);
      const found = await runner.query(
        `EXECUTE find_client_ids('{${[...keys, keys[0]].join(',')}}', '{c-7,c-8,missing,c-9}')`,
      );
      const [{ 'QUERY PLAN': plan }] = await runner.query(
        `EXPLAIN (FORMAT JSON) EXECUTE find_client_ids('{${keys.join(',')}}', '{c-7,c-8,c-9}')`,
      );
      result = { found, plan: plan[0].Plan };
    } finally {
      await runner.query(`DEALLOCATE ALL`);
      await runner.release();
    }
  }, 60_000);
  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });

  it('finds the stored events by session and clientId, and only those', () => {
    expect(
      result.found
        .map((r) => [r.session_id, r.client_id, Number(r.seq), r.body_hash])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    ).toEqual([
      [ids[0], 'c-7', 7, 'h-7'],
      [ids[1], 'c-8', 8, 'h-8'],
      [ids[0], 'c-9', 9, 'h-9'],
    ]);
  });

  it('keeps reading the unique index once the log has grown', () => {
    const scans = scansOfLog(result.plan);
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.map((n) => n['Node Type'])).not.toContain('Seq Scan');
  });
});
