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
 * QueryFailedError, as from `manager.query`. A manager without a query runner (outside a
 * transaction) goes through `manager.query` unnamed: the hot path always has one.
 */
export async function queryPrepared<R extends QueryResultRow>(
  manager: Pick<EntityManager, 'query' | 'queryRunner'>,
  statement: PreparedStatement,
  values: unknown[],
): Promise<R[]> {
  const runner = manager.queryRunner as unknown as PostgresRunner | undefined;
  if (!runner || typeof runner.connect !== 'function') {
    return manager.query<R[]>(statement.text, values);
  }
  const client = await runner.connect();
  try {
    const result = await client.query<R>({ name: statement.name, text: statement.text, values });
    return result.rows;
  } catch (err) {
    throw new QueryFailedError(statement.text, values, err as Error);
  }
}
