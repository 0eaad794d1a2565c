import { DataSource } from 'typeorm';
import { DEFAULT_ORAL_PROTOCOL } from '@vigil/clinical';
import { buildDataSourceOptions } from '../apps/api/src/database/data-source-options';
import { MIGRATIONS } from '../apps/api/src/database/migrations';
import { readEventsAfterMany } from '../apps/api/src/modules/events/event-reads';
import { makeSession, makeUser } from './support/factories';
import { createTestDatabase } from './support/test-app';

const SESSIONS = 20;
const EVENTS = 1500;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

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
  const ids: string[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    ds = new DataSource({ ...buildDataSourceOptions(db.url), migrations: MIGRATIONS });
    await ds.initialize();
    await ds.runMigrations();
    await ds.query(`INSERT INTO protocols (name, version, document) VALUES ($1, $2, $3)`, [
      DEFAULT_ORAL_PROTOCOL.name,
      DEFAULT_ORAL_PROTOCOL.version,
      JSON.stringify(DEFAULT_ORAL_PROTOCOL),
    ]);
    const patient = await makeUser(ds, 'patient');
    const clinician = await makeUser(ds, 'clinician');
    for (let i = 0; i < SESSIONS; i++) ids.push(await makeSession(ds, { patient, clinician }));
    await ds.query(
      `INSERT INTO session_events (session_id, seq, type, at, data)
       SELECT s.id, g, 'vitals.recorded', now(),
              jsonb_build_object('readings', jsonb_build_array(
                jsonb_build_object('kind', 'heart_rate', 'value', 70 + g % 20,
                                   'measuredAt', '2026-12-04T08:00:00.000Z')))
         FROM unnest($1::uuid[]) AS s(id) CROSS JOIN generate_series(1, $2::int) g`,
      [ids, EVENTS],
    );
    await ds.query(`UPDATE sessions SET head_seq = $2 WHERE id = ANY($1::uuid[])`, [ids, EVENTS]);
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
    const scans = nodesOf(plan[0].Plan).filter((n) => n['Relation Name'] === 'session_events');
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.map((n) => n['Node Type'])).not.toContain('Seq Scan');
  });
});
