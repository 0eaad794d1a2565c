import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerStorage,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../../common/request-context';
import type { AuditEntry } from '../audit/audit.service';
import { routeDenial } from '../audit/denial-audit';
import { AuditedThrottlerGuard, retryAfterS } from './audited-throttler.guard';
import { isDeviceRoute, limitMessage, REST_THROTTLER_OPTIONS } from './rest-limits';

/** The throttler that counted the request: its keys are `<name>:<tracker>` (rest-limits.ts). */
const throttlerOf = (detail: ThrottlerLimitDetail) => detail.key.slice(0, detail.key.indexOf(':'));

/**
 * The per-principal REST limit (rest-limits.ts). Global, registered after JwtAuthGuard so the
 * account is known; on the device routes it runs again after DeviceAuthGuard. Past the limit:
 * 429 with Retry-After, before the body is validated or anything stored, and on the audit trail.
 */
@Injectable()
export class RestThrottlerGuard extends AuditedThrottlerGuard {
  constructor(
    @Inject(REST_THROTTLER_OPTIONS) options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
  ) {
    super(options, storage, reflector);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    // Socket messages have their own limiter (realtime/rate-limiter.ts).
    if (context.getType() !== 'http') return Promise.resolve(true);
    // A device route before DeviceAuthGuard: the device is not known yet; its own pass counts it.
    const req = context.switchToHttp().getRequest<AuthenticatedRequest & { device?: unknown }>();
    return Promise.resolve(isDeviceRoute(context) && !req.device);
  }

  protected denial(req: AuthenticatedRequest, detail: ThrottlerLimitDetail): AuditEntry {
    return routeDenial(req, req.user ?? null, 'http.rate_limited', {
      reason: `${throttlerOf(detail)}_rate_limit`,
      client: detail.tracker,
      limit: detail.limit,
    });
  }

  protected override getErrorMessage(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<string> {
    return Promise.resolve(
      limitMessage(throttlerOf(detail), detail.tracker, detail.limit, retryAfterS(detail)),
    );
  }
}
