import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadToolConfig } from '../config/config.schema';
import { buildDataSourceOptions } from './data-source-options';

function cliUrl(): string {
  const config = loadToolConfig();
  return (
    config.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/vigil`
  );
}

/** For the TypeORM CLI (`npm run migration:run`); the app builds its own from the same options. */
export default new DataSource(buildDataSourceOptions(cliUrl()));
