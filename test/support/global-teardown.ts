import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.VIGIL_TEST_MIGRATED_TEMPLATE;
  const adminUrl = process.env.VIGIL_TEST_ADMIN_URL;
  // On the machine's PostgreSQL (TEST_DATABASE_URL) it would outlive the run; an embedded one
  // goes with its folder.
  if (template && adminUrl && !globalThis.__VIGIL_EMBEDDED_PG__) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  await globalThis.__VIGIL_EMBEDDED_PG__?.stop();
}
