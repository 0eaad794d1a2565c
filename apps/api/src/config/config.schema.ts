import { config as loadDotenv } from 'dotenv';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';

/**
 * Every environment variable Vigil reads, validated once at boot. `process.env` is read here
 * and nowhere else; `.env.example` lists the same names.
 */
export const INSECURE_DEMO_SECRET = 'vigil-demo-only-insecure-secret-change-me';

const intFromEnv = (fallback: number, min = 0) =>
  z.coerce.number().int().min(min).default(fallback);

/** A TCP port; Node's own refusal of 70000 comes late and names no variable. */
const portFromEnv = (fallback: number, min = 1) =>
  z.coerce.number().int().min(min).max(65535).default(fallback);

/**
 * A connection URL of one of `schemes`, naming a host. `z.string().url()` took what the clients
 * later refused without naming the variable: `localhost:5432/vigil` parses as a URL of scheme
 * `localhost:` (TypeORM then retried for about 30 s before failing on "no PostgreSQL user name"),
 * `mysql://...` likewise, and ioredis said only "Invalid protocol". The value may hold a password,
 * so the message names its scheme, never the value. A PostgreSQL unix socket names its host in the
 * `host` parameter (`postgresql:///vigil?host=/run/postgresql`), as libpq and pg read it.
 */
const connectionUrl = (schemes: readonly string[], example: string) =>
  z.string().superRefine((value, ctx) => {
    const refuse = (why: string) =>
      ctx.addIssue({ code: 'custom', message: `${why}: expected a URL like ${example}` });
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return refuse('not a URL');
    }
    if (!schemes.includes(url.protocol)) {
      const allowed = schemes.map((s) => `${s}//`).join(' or ');
      return refuse(`the scheme ${url.protocol} is not ${allowed}`);
    }
    if (!url.hostname && !url.searchParams.get('host')) refuse('no host');
  });

/**
 * Checked as Express will compile it (proxy-addr), so a typo fails at boot naming the variable,
 * not later as "invalid IP address". A bare number is refused: Express reads a hop count only
 * from a number, and from this string it would trust the address 0.0.0.2, i.e. no proxy, so
 * every client would share the proxy's address (one login throttle for the whole clinic).
 */
const trustProxySchema = z.string().superRefine((value, ctx) => {
  const entries = value.split(',').map((e) => e.trim());
  if (entries.some((e) => /^\d+$/.test(e))) {
    ctx.addIssue({
      code: 'custom',
      message: `a hop count (${value}) is not supported: name the proxies (loopback, linklocal, uniquelocal) or their addresses; TRUSTED_PROXY_HOPS counts hops`,
    });
    return;
  }
  try {
    proxyAddr.compile(entries);
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      message: `${(err as Error).message}: use loopback, linklocal, uniquelocal, addresses or subnets, comma-separated`,
    });
  }
});

export const configSchema = z
  .object({
    // No default: demo mode (public secret, seeded accounts) only when asked for; `npm start`
    // asks. Unset means production rules.
    VIGIL_MODE: z.enum(['demo', 'production']).optional(),
    PORT: portFromEnv(3000, 0),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: connectionUrl(
      ['postgres:', 'postgresql:'],
      'postgres://user:password@host:5432/vigil',
    ).optional(),
    // npm run migrate (as the owner) grants this role what the API needs; the API connects as it.
    DATABASE_APP_ROLE: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a plain lower-case role name')
      .optional(),
    EMBEDDED_PG_DIR: z.string().default('.data/postgres'),
    EMBEDDED_PG_PORT: portFromEnv(54329),
    JWT_SECRET: z.string().min(16).default(INSECURE_DEMO_SECRET),
    ACCESS_TOKEN_TTL_SECONDS: intFromEnv(900, 5),
    REFRESH_TOKEN_TTL_SECONDS: intFromEnv(12 * 3600, 60),
    LOGIN_RATE_LIMIT_PER_MINUTE: intFromEnv(10, 1),
    // Wrong passwords from one client address for one account before backoff starts (1 s,
    // doubling, at most 15 min); a success or a supervisor clears it.
    LOGIN_FREE_FAILURES: intFromEnv(5, 1),
    // However often it is refreshed, a login lasts at most this long (12 h).
    SESSION_MAX_AGE_SECONDS: intFromEnv(12 * 3600, 60),
    // A just-rotated refresh token still works this long (two tabs refreshing at once).
    REFRESH_REUSE_GRACE_SECONDS: intFromEnv(20, 0),
    REDIS_URL: connectionUrl(['redis:', 'rediss:'], 'redis://host:6379').optional(),
    ALLOWED_ORIGINS: z.string().default(''),
    LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
    DASHBOARD_DIST: z.string().default('dist/dashboard'),
    INSTANCE_ID: z.string().default(''),
    // REST requests per principal (account, paired device, or client address where there is no
    // login) in any 60 s, over every route but health and help; a phone flushing an hour's outbox
    // sends a few dozen, a clinician's board of 200 sessions a few a minute (docs/API.md, v1.4).
    REST_RATE_LIMIT_PER_MINUTE: intFromEnv(600, 1),
    // Help presses per account in any 60 s, a budget of their own: routine traffic over its limit
    // never holds back a help press, and a patient's first press is never refused.
    HELP_RATE_LIMIT_PER_MINUTE: intFromEnv(30, 1),
    SOCKET_RATE_LIMIT_PER_SECOND: intFromEnv(20, 1),
    SOCKET_RATE_LIMIT_BURST: intFromEnv(60, 1),
    // Submissions in progress always admitted while the event loop keeps up, whatever the rate
    // (issue 15: above it, or while the loop lags, the measured commit rate decides).
    ADMISSION_MIN_OUTSTANDING: intFromEnv(200, 1),
    // How often each instance decides again, in one read, whether its live sockets' accounts and
    // clinicians' watches still hold: the backstop for a revocation another instance announced
    // that never arrived (Redis down or stalled), which would otherwise last until the token ends.
    LIVE_ACCESS_RECHECK_SECONDS: intFromEnv(10, 1),
    // Express `trust proxy`: which hops may set X-Forwarded-For (the login limit is per address).
    TRUST_PROXY: trustProxySchema.default('loopback'),
    // How many trusted proxies may each add one X-Forwarded-For entry for the login key; entries
    // further left were written by the client and are never believed.
    TRUSTED_PROXY_HOPS: intFromEnv(1, 0),
    // On SIGTERM, readiness answers 503 this long before the server stops accepting requests.
    SHUTDOWN_DRAIN_MS: intFromEnv(5000, 0),
    // Then closing (requests finishing, sockets, pools) may take this long before what is left is
    // cut and the process exits 1; drain + this stays inside the orchestrator's grace (20 s).
    SHUTDOWN_TIMEOUT_MS: intFromEnv(10_000, 100),
    // Prometheus metrics on a port of their own (never routed by the proxy); unset: none served.
    METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    METRICS_HOST: z.string().default('0.0.0.0'),
    // Demo mode only: simulated patients sim01..simN the API keeps seeded (with the demo
    // password) for the simulator; `npm start -- --sessions N` sets it to N.
    // The care team's phone number, shown to patients as a tap-to-call link on the help screen
    // and sent with their session (GET /api/sessions). Digits, spaces, +, -, ( and ).
    CARE_TEAM_PHONE: z
      .string()
      .regex(/^\+?[\d\s()-]{5,24}$/, 'a phone number: digits, spaces, +, -, ( and )')
      .optional(),
    DEMO_SIMULATED_PATIENTS: z.coerce.number().int().min(0).max(2000).default(12),
  })
  .superRefine((env, ctx) => {
    if (env.VIGIL_MODE === 'demo') return;
    const mode = env.VIGIL_MODE
      ? 'in production mode'
      : 'when VIGIL_MODE is unset (production rules; set VIGIL_MODE=demo or run npm start for the demo)';
    if (!env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: `is required ${mode}` });
    }
    if (env.JWT_SECRET === INSECURE_DEMO_SECRET || env.JWT_SECRET.length < 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: `must be set to a random secret of at least 32 characters ${mode}`,
      });
    }
  });

export type AppConfig = Omit<z.infer<typeof configSchema>, 'VIGIL_MODE'> & {
  VIGIL_MODE: 'demo' | 'production';
};

/** Names the config schema knows: the compose-file test checks docker-compose.yml against it. */
export const CONFIG_KEYS = Object.keys(configSchema.shape) as (keyof AppConfig)[];

/**
 * A blank value means unset: `.env.example` lists every name with many left empty, and compose
 * `env_file`, `node --env-file` and dotenv all turn `NAME=` into an empty string.
 */
function withoutBlanks(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value?.trim()) out[key] = value;
  return out;
}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = configSchema.safeParse(withoutBlanks(env));
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return { ...result.data, VIGIL_MODE: result.data.VIGIL_MODE ?? 'production' };
}

/** The environment, plus `.env` in the working directory if there is one (the environment wins). */
export function loadConfig(): AppConfig {
  loadDotenv({ quiet: true });
  return parseConfig(process.env);
}

/**
 * For database tools (migrate, audit:verify, the TypeORM CLI): they sign no tokens, so an unset
 * VIGIL_MODE does not make them demand a JWT secret; VIGIL_MODE=production still does.
 */
export function loadToolConfig(): AppConfig {
  loadDotenv({ quiet: true });
  return parseConfig({ VIGIL_MODE: 'demo', ...withoutBlanks(process.env) });
}
