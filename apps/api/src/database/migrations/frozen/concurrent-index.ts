import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index built without blocking writes to its table, for a migration that sets
 * `transaction = false` (CONCURRENTLY cannot run in a transaction). A plain CREATE INDEX holds a
 * lock that stops every insert while it reads the whole table: on a clinic's `session_events` or
 * `audit_events` (millions of rows) that is minutes in which no check-in, reading or audit row is
 * stored, the instances still running the old version included. A build that failed half-way
 * leaves an INVALID index of that name: it is dropped and built again. Frozen with the migrations
 * that use it: it must never change under them.
 */
export async function createIndexConcurrently(
  q: QueryRunner,
  name: string,
  definition: string,
): Promise<void> {
  const rows = await q.manager.query<Array<{ valid: boolean }>>(
    `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname = $1`,
    [name],
  );
  const left = rows[0];
  if (left?.valid) return;
  if (left) await q.query(`DROP INDEX CONCURRENTLY ${name}`);
  await q.query(`CREATE INDEX CONCURRENTLY ${name} ${definition}`);
}

/**
 * A migration that only adds indexes, each built by `createIndexConcurrently`, outside a
 * transaction as CONCURRENTLY requires; its down drops them, concurrently too, in reverse order.
 * Frozen like the function above: the migrations that extend it run exactly this SQL.
 */
export abstract class ConcurrentIndexesMigration implements MigrationInterface {
  abstract readonly name: string;
  readonly transaction = false;
  /** Each index's name and what follows it in `CREATE INDEX CONCURRENTLY <name>`. */
  protected abstract readonly indexes: ReadonlyArray<readonly [name: string, definition: string]>;

  async up(q: QueryRunner): Promise<void> {
    for (const [name, definition] of this.indexes)
      await createIndexConcurrently(q, name, definition);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name] of [...this.indexes].reverse()) {
      await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    }
  }
}
