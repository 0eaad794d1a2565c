import { applyDecorators, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SkipThrottle, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import { clientAddress } from '../../common/client-address';
import type { AuthUser } from '../../common/request-context';
import type { AppConfig } from '../../config/app-config';

/** Injection token for the REST limits (apart from the login throttler's own options). */
export const REST_THROTTLER_OPTIONS = Symbol('REST_THROTTLER_OPTIONS');

/** Every route but health and help: one budget per principal, shared by all the routes. */
export const ROUTINE = 'rest';
/** Help presses: a budget of their own, so routine traffic over its limit never holds one back. */
export const HELP = 'help';
export const WINDOW_MS = 60_000;

const HELP_BUDGET = 'vigil:help-budget';
const DEVICE_PRINCIPAL = 'vigil:device-principal';

/** The help route: counted against the help budget, never against the routine one. */
export const HelpBudget = () =>
  applyDecorators(SkipThrottle({ [ROUTINE]: true }), SetMetadata(HELP_BUDGET, true));

/**
 * Health probes (a proxy or orchestrator asking often must never read a 429 as "down"), and login,
 * which has its own per-address limit.
 */
export const NoRateLimit = () => SkipThrottle({ [ROUTINE]: true, [HELP]: true });

/**
 * Routes whose principal is a paired device, known only once DeviceAuthGuard has run (after the
 * global guards): the controller lists RestThrottlerGuard again after DeviceAuthGuard, and the
 * global pass leaves these routes to it.
 */
export const DevicePrincipal = () => SetMetadata(DEVICE_PRINCIPAL, true);

type LimitedRequest = Request & { user?: AuthUser; device?: { id: string } };

const reflector = new Reflector();
const targets = (context: ExecutionContext) => [context.getHandler(), context.getClass()];

export function isHelpRoute(context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(HELP_BUDGET, targets(context)) === true;
}

export function isDeviceRoute(context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(DEVICE_PRINCIPAL, targets(context)) === true;
}

/** Whose budget a request spends: its account, its paired device, or else its client address. */
export function principalOf(req: LimitedRequest, trustedHops: number): string {
  if (req.user) return `account:${req.user.id}`;
  if (req.device) return `device:${req.device.id}`;
  return `address:${clientAddress(req, trustedHops)}`;
}

export function restThrottlerOptions(config: AppConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      // blockDuration 0: a sliding window that refused requests do not lengthen, so Retry-After
      // is when the oldest counted request leaves the window and a retry then goes through.
      {
        name: ROUTINE,
        ttl: WINDOW_MS,
        limit: config.REST_RATE_LIMIT_PER_MINUTE,
        blockDuration: 0,
      },
      {
        name: HELP,
        ttl: WINDOW_MS,
        limit: config.HELP_RATE_LIMIT_PER_MINUTE,
        blockDuration: 0,
        skipIf: (context) => !isHelpRoute(context),
      },
    ],
    getTracker: (req) => principalOf(req as LimitedRequest, config.TRUSTED_PROXY_HOPS),
    // One budget per principal across every route, not the library's default of one per route.
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    // Retry-After is set by the guard under its standard name (the library would suffix the
    // throttler's name); X-RateLimit-* on every answer would tell a client nothing it needs.
    setHeaders: false,
  };
}

/** The 429's message: whose limit, how many per minute, and when to try again. */
export function limitMessage(name: string, tracker: string, limit: number, retryS: number): string {
  const whose = tracker.startsWith('account:')
    ? "this account's"
    : tracker.startsWith('device:')
      ? "this device's"
      : "this client address's";
  const what =
    name === HELP
      ? `help presses: ${whose} limit is ${limit} a minute (the care team has already been alerted)`
      : `too many requests: ${whose} limit is ${limit} a minute`;
  return `rate limit: ${what}; retry after ${retryS} s`;
}
