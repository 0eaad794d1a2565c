import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** One definition of the connection for the app, the migration CLI and the tests. */
export function buildDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    // pg's pool closes a connection after 10 s idle by default. Under a steady load that peaks
    // now and then (200 phones at 1 Hz: 19 connections closed and opened again every 30 s), each
    // new one cost a backend fork, the password exchange and planning every named statement
    // again; kept for 5 minutes, the pool holds the connections its peaks need.
    extra: { max: 20, idleTimeoutMillis: 300_000 },
  };
}
