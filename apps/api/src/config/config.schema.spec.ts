import { parse } from 'dotenv';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CONFIG_KEYS, INSECURE_DEMO_SECRET, loadConfig, parseConfig } from './config.schema';

describe('configuration', () => {
  it('runs demo mode on port 3000 with the embedded database when asked for', () => {
    const config = parseConfig({ VIGIL_MODE: 'demo' });
    expect(config).toMatchObject({ VIGIL_MODE: 'demo', PORT: 3000 });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('never falls into demo mode: unset VIGIL_MODE means production rules', () => {
    expect(() => parseConfig({})).toThrow(/DATABASE_URL: is required when VIGIL_MODE is unset/);
    expect(() => parseConfig({ DATABASE_URL: 'postgres://db/vigil' })).toThrow(
      /JWT_SECRET: must be set .* when VIGIL_MODE is unset/,
    );
    const config = parseConfig({ DATABASE_URL: 'postgres://db/vigil', JWT_SECRET: 'k'.repeat(40) });
    expect(config.VIGIL_MODE).toBe('production');
  });

  it('refuses production mode without a database URL', () => {
    expect(() => parseConfig({ VIGIL_MODE: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /DATABASE_URL: is required/,
    );
  });

  it.each([undefined, INSECURE_DEMO_SECRET, 'short-but-16-chars'])(
    'refuses production mode with the secret %s',
    (secret) => {
      expect(() =>
        parseConfig({
          VIGIL_MODE: 'production',
          DATABASE_URL: 'postgres://db/vigil',
          JWT_SECRET: secret,
        }),
      ).toThrow(/JWT_SECRET/);
    },
  );

  it('names the variable that is wrong', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ VIGIL_MODE: 'staging' })).toThrow(/VIGIL_MODE/);
  });

  it.each([
    ['uniquelcoal', /TRUST_PROXY: invalid IP address: uniquelcoal/],
    // Express reads a hop count only from a number: this string would trust 0.0.0.2, no proxy.
    ['2', /TRUST_PROXY: a hop count \(2\) is not supported/],
    ['loopback, 1', /TRUST_PROXY: a hop count/],
    ['10.0.0.0/33', /TRUST_PROXY: /],
  ])('refuses TRUST_PROXY=%s at boot, naming it', (value, message) => {
    expect(() => parseConfig({ VIGIL_MODE: 'demo', TRUST_PROXY: value })).toThrow(message);
  });

  it.each(['loopback', 'uniquelocal', 'loopback, 10.0.0.0/8', '192.168.1.4,fc00::/7'])(
    'takes TRUST_PROXY=%s as Express will',
    (value) => {
      expect(parseConfig({ VIGIL_MODE: 'demo', TRUST_PROXY: value }).TRUST_PROXY).toBe(value);
    },
  );

  const production = { VIGIL_MODE: 'production', JWT_SECRET: 'k'.repeat(40) };

  // Each passed z.string().url() and failed later without naming the variable: ioredis said
  // "Invalid protocol"; TypeORM retried for ~30 s on "no PostgreSQL user name specified in
  // startup packet" (localhost:5432/vigil is a URL of scheme "localhost:").
  it.each(['localhost:6379', 'redis-host:6379', 'http://redis:6379', 'redis://'])(
    'refuses REDIS_URL=%s at boot, naming it',
    (value) => {
      expect(() =>
        parseConfig({ ...production, DATABASE_URL: 'postgres://vigil@db/vigil', REDIS_URL: value }),
      ).toThrow(/REDIS_URL: .*expected a URL like redis:\/\/host:6379/);
    },
  );

  it.each(['localhost:5432/vigil', 'db:5432/vigil', 'mysql://u@db/vigil', 'postgres:///vigil'])(
    'refuses DATABASE_URL=%s at boot, naming it',
    (value) => {
      expect(() => parseConfig({ ...production, DATABASE_URL: value })).toThrow(
        /DATABASE_URL: .*expected a URL like postgres:/,
      );
    },
  );

  it('never repeats a refused URL, which may hold a password', () => {
    expect(() => parseConfig({ ...production, DATABASE_URL: 'mysql://u:s3cret@db/vigil' })).toThrow(
      /^(?![\s\S]*s3cret)/,
    );
  });

  it.each([
    ['postgres://vigil:pw@db:5432/vigil', 'rediss://:pw@cache.example.org:6380/0'],
    ['postgresql:///vigil?host=/run/postgresql', 'redis://127.0.0.1:6379'],
  ])('takes DATABASE_URL=%s and REDIS_URL=%s', (database, redis) => {
    const config = parseConfig({ ...production, DATABASE_URL: database, REDIS_URL: redis });
    expect(config).toMatchObject({ DATABASE_URL: database, REDIS_URL: redis });
  });

  // Node refused them only when listening ("options.port should be >= 0 and < 65536").
  it.each(['PORT', 'EMBEDDED_PG_PORT', 'METRICS_PORT'])('refuses %s=70000, naming it', (name) => {
    expect(() => parseConfig({ VIGIL_MODE: 'demo', [name]: '70000' })).toThrow(
      new RegExp(`${name}: `),
    );
  });
});

describe('configuration from files', () => {
  const root = resolve(__dirname, '../../../..');

  it('treats blank values as unset, as .env files and compose env_file write them', () => {
    const config = parseConfig({
      VIGIL_MODE: 'demo',
      PORT: '',
      DATABASE_URL: '',
      REDIS_URL: ' ',
      JWT_SECRET: '',
    });
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.JWT_SECRET).toBe(INSECURE_DEMO_SECRET);
  });

  it('accepts .env.example as it stands, and it names every variable the schema knows', () => {
    const example = parse(readFileSync(resolve(root, '.env.example'), 'utf8'));
    expect(() => parseConfig(example)).not.toThrow();
    expect(Object.keys(example).sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it("documents every variable in the README's configuration table", () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'));
    expect(CONFIG_KEYS.filter((key) => !table.includes(`\`${key}\``))).toEqual([]);
  });

  it('loads .env from the working directory, without overriding the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-env-'));
    writeFileSync(
      join(dir, '.env'),
      'VIGIL_MODE=demo\nPORT=4321\nLOG_LEVEL=debug\nDATABASE_URL=\nREDIS_URL=\n',
    );
    const cwd = process.cwd();
    const saved = { ...process.env };
    try {
      process.chdir(dir);
      for (const key of CONFIG_KEYS) delete process.env[key];
      process.env.LOG_LEVEL = 'warn';
      const config = loadConfig();
      expect(config.PORT).toBe(4321);
      expect(config.LOG_LEVEL).toBe('warn');
      expect(config.DATABASE_URL).toBeUndefined();
    } finally {
      process.chdir(cwd);
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
