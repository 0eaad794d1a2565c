import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from './config.schema';

// The logger's settings, made from the validated configuration at boot. They live beside that
// configuration, not in common/: config/ imports common/ (the clock), so common/ imports no config.

/** Nest's level names, as LOG_LEVEL takes them, to pino's. */
const PINO_LEVEL: Record<AppConfig['LOG_LEVEL'], string> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** A caller's id is echoed only if it looks like one (no log injection, no unbounded header). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * Paths pino must never print. Vigil logs no bodies at all (they hold health data), and request
 * and response serializers below keep only method, path, status and ids; these paths are the
 * second line, should a body or a header object ever reach a log call.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'res.body',
  'res.headers["set-cookie"]',
  'body',
  '*.body',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.authorization',
];

/** The path without its query: a query string may carry identifiers worth keeping out of logs. */
function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}

/**
 * nestjs-pino: one JSON line per request on stdout (method, path, status, duration, request id)
 * and the app's own log lines through the same logger. Health probes are not logged (a line every
 * few seconds from each orchestrator says nothing).
 */
export function loggingParams(config: AppConfig): Params {
  return {
    // nestjs-pino's default route is the bare `*`, which Nest 11 (path-to-regexp 8) converts with
    // a LegacyRouteConverter warning at every start; the named wildcard is the same route.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: PINO_LEVEL[config.LOG_LEVEL],
      base: { instance: config.INSTANCE_ID || undefined },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: pathOf(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => pathOf(req.url).startsWith('/api/health') },
      // 503 is the overload answer ("busy, retry"; pino-http passes it as an err too): a warning,
      // not thousands of error lines a second from a server already past its capacity.
      customLogLevel: (_req, res, err) =>
        res.statusCode === 503
          ? 'warn'
          : err || res.statusCode >= 500
            ? 'error'
            : res.statusCode >= 400
              ? 'warn'
              : 'info',
    },
  };
}
