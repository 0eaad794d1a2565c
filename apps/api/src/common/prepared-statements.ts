import type { PoolClient, QueryResultRow } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';

/**
 * A statement PostgreSQL parses once per connection and may plan once (a named prepared
 * statement), for the live pipeline's hot path (issue 15): TypeORM's `query` sends every
 * statement unnamed, so PostgreSQL parses, analyses and plans it again on every call, a cost
 * paid per group commit (and per event while groups are small). Names are global per
 * connection: one name, one text, for the life of the process.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

const names = new Map<string, string>();

export function prepared(name: string, text: string): PreparedStatement {
  const known = names.get(name);
  if (known !== undefined && known !== text)
    throw new Error(`prepared statement ${name} redefined`);
  names.set(name, text);
  return { name, text };
}

interface PostgresRunner {
  connect(): Promise<PoolClient>;
}

/**
 * Runs `statement` on the connection of `manager`'s transaction, through the `pg` client
 * itself (TypeORM has no named statements), and returns its rows. A failure is TypeORM's
 * QueryFailedError, as from `manager.query`. A manager outside a transaction borrows a pooled
 * connection for the one statement (autocommit), which prepares it once too.
 */
export async function queryPrepared<R extends QueryResultRow>(
  manager: Pick<EntityManager, 'connection' | 'queryRunner'>,
  statement: PreparedStatement,
  values: unknown[],
): Promise<R[]> {
  const borrowed = manager.queryRunner ? null : manager.connection.createQueryRunner();
  const runner = (manager.queryRunner ?? borrowed) as unknown as PostgresRunner;
  try {
    const client = await runner.connect();
    try {
      const result = await client.query<R>({ name: statement.name, text: statement.text, values });
      return result.rows;
    } catch (err) {
      throw new QueryFailedError(statement.text, values, err as Error);
    }
  } finally {
    await borrowed?.release();
  }
}
