// Runs startEmbeddedPostgres in a child process (jest's module sandbox cannot load the ESM-only
// package): prints one JSON line with the URLs, then a line per supervisor notice; SIGTERM stops.
import { startEmbeddedPostgres } from '../../apps/api/src/database/embedded-postgres';

async function main(): Promise<void> {
  const [dir, port] = process.argv.slice(2);
  const db = await startEmbeddedPostgres({
    dir,
    port: Number(port),
    database: 'vigil_restart',
    persistent: false,
    onRestart: (what, detail) => console.log(JSON.stringify({ what, detail })),
  });
  console.log(JSON.stringify({ url: db.url, dataDir: db.dataDir }));
  process.on('SIGTERM', () => {
    console.log(JSON.stringify({ what: 'stopping' }));
    void db.stop().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
