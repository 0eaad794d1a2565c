import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/app.setup';
import { ManualClock, type Clock } from '../../apps/api/src/common/clock';
import { parseConfig, type AppConfig } from '../../apps/api/src/config/config.schema';
import { TEST_SECRET } from './test-secret';

export { TEST_SECRET };

export interface TestApp {
  app: INestApplication;
  url: string;
  databaseUrl: string;
  dataSource: DataSource;
  config: AppConfig;
  clock: Clock;
  close(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.VIGIL_TEST_ADMIN_URL;
  if (!url)
    throw new Error('VIGIL_TEST_ADMIN_URL is not set: run e2e tests through jest (global setup)');
  return url;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(sql: string): Promise<void> {
  await queryOn(adminUrl(), sql);
}

async function queryOn(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file (or one app within it): a copy of the one global setup ran
 * the migrations on, or `{ empty: true }` for a test that runs (some of) the migrations itself.
 */
export async function createTestDatabase(
  options: { empty?: boolean } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `vigil_t_${randomBytes(6).toString('hex')}`;
  const template = options.empty ? undefined : process.env.VIGIL_TEST_MIGRATED_TEMPLATE;
  await adminQuery(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  const url = withDatabase(adminUrl(), name);
  // A copy would share the template's deployment id, so every test file's instances would share
  // one set of Redis channels (what that id exists to keep apart: deployment-id migration).
  if (template) await queryOn(url, 'UPDATE deployment SET id = gen_random_uuid()');
  return {
    url,
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * For a test that replays hours of one account's REST traffic in seconds of real time on its
 * manual clock: the REST limit counts real minutes, so it would refuse what the clock spreads out.
 */
export const UNLIMITED_REST = {
  REST_RATE_LIMIT_PER_MINUTE: '1000000',
  HELP_RATE_LIMIT_PER_MINUTE: '1000000',
};

/**
 * Boots the real AppModule over real HTTP on a random port, on its own database. Production mode
 * unless said otherwise, so no demo data appears behind a test's back.
 */
export async function createTestApp(
  options: { env?: Record<string, string>; clock?: Clock; databaseUrl?: string } = {},
): Promise<TestApp> {
  const database = options.databaseUrl ? null : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? database!.url;
  const config = parseConfig({
    VIGIL_MODE: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: TEST_SECRET,
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    LOG_LEVEL: 'error',
    ...options.env,
  });
  const clock = options.clock ?? new ManualClock(new Date());
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ config, databaseUrl, clock })],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
  await configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    databaseUrl,
    dataSource: app.get(DataSource),
    config,
    clock,
    close: async () => {
      await app.close();
      await database?.drop();
    },
  };
}

/**
 * Two API instances on one database, over Redis: started before the calling describe block's
 * tests, closed after them (B first). Read `a` and `b` inside the tests.
 */
export function twoInstancesOverRedis(redisUrl: string): { a: TestApp; b: TestApp } {
  const apps = {} as { a: TestApp; b: TestApp };
  beforeAll(async () => {
    apps.a = await createTestApp({ env: { REDIS_URL: redisUrl } });
    apps.b = await createTestApp({ env: { REDIS_URL: redisUrl }, databaseUrl: apps.a.databaseUrl });
  });
  afterAll(async () => {
    await apps.b.close();
    await apps.a.close();
  });
  return apps;
}
