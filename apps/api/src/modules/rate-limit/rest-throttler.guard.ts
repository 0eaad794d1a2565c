import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerStorage,
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../common/request-context';
import { DenialAudit, routeDenial } from '../audit/denial-audit';
import { isDeviceRoute, limitMessage, REST_THROTTLER_OPTIONS } from './rest-limits';

/**
 * The per-principal REST limit (rest-limits.ts). Global, registered after JwtAuthGuard so the
 * account is known; on the device routes it runs again after DeviceAuthGuard. Past the limit:
 * 429 with Retry-After, before the body is validated or anything stored, and on the audit trail
 * (repeats coalesced by DenialAudit, so a flood cannot flood the audit chain).
 */
@Injectable()
export class RestThrottlerGuard extends ThrottlerGuard {
  constructor(
    @Inject(REST_THROTTLER_OPTIONS) options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly denials: DenialAudit,
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

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const http = context.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest>();
    const retryS = Math.max(1, detail.timeToBlockExpire);
    const name = detail.key.slice(0, detail.key.indexOf(':'));
    http.getResponse<Response>().setHeader('Retry-After', String(retryS));
    this.denials.record(
      routeDenial(req, req.user ?? null, 'http.rate_limited', {
        reason: `${name}_rate_limit`,
        client: detail.tracker,
        limit: detail.limit,
      }),
    );
    return Promise.reject(
      new ThrottlerException(limitMessage(name, detail.tracker, detail.limit, retryS)),
    );
  }
}
