import type { AppConfig } from '../config/config.schema';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';

export interface ResolvedDatabase {
  url: string;
  embedded: EmbeddedDatabase | null;
}

/** `DATABASE_URL` when set; otherwise the embedded PostgreSQL in the git-ignored data folder. */
export async function resolveDatabase(
  config: AppConfig,
  embedded: Pick<
    Parameters<typeof startEmbeddedPostgres>[0],
    'onRestart' | 'callerHandlesSignals'
  > = {},
): Promise<ResolvedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null };
  const database = await startEmbeddedPostgres({
    dir: config.EMBEDDED_PG_DIR,
    port: config.EMBEDDED_PG_PORT,
    database: 'vigil',
    ...embedded,
  });
  return { url: database.url, embedded: database };
}
