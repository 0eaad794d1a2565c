import 'reflect-metadata';
import { loadToolConfig } from './config/config.schema';
import { resolveDatabase } from './database/database-url';
import { migrateDatabase } from './database/migrate-database';

/**
 * `node dist/apps/api/src/migrate.js`: applies pending migrations and exits (0 on success). The
 * one-shot `migrate` service of docker-compose.yml runs it before any API instance starts.
 */
async function main(): Promise<void> {
  const config = loadToolConfig();
  const database = await resolveDatabase(config);
  try {
    const applied = await migrateDatabase(database.url, { appRole: config.DATABASE_APP_ROLE });
    console.log(
      applied.length
        ? `[migrate] applied ${applied.length}: ${applied.join(', ')}`
        : '[migrate] the database is up to date',
    );
    if (config.DATABASE_APP_ROLE)
      console.log(`[migrate] granted ${config.DATABASE_APP_ROLE} its rights`);
  } finally {
    await database.embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`[migrate] failed: ${err.message}`);
    process.exit(1);
  },
);
