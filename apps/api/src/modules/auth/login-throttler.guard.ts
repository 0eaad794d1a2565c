import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { DenialAudit } from '../audit/denial-audit';

/** The per-address login limit (password spraying), with every refusal on the audit trail. */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly denials: DenialAudit,
  ) {
    super(options, storage, reflector);
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const req = context.switchToHttp().getRequest<Request>();
    // The library names the header after the throttler (`Retry-After-login-ip`), which no client
    // reads: the standard name tells the simulator and browsers when to try again.
    context
      .switchToHttp()
      .getResponse<Response>()
      .setHeader('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    this.denials.record({
      actorId: null,
      actorRole: null,
      action: 'auth.login_throttled',
      entityType: 'user',
      entityId: null,
      patientId: null,
      outcome: 'denied',
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
      detail: { reason: 'address_rate_limit', client: detail.tracker },
    });
    return super.throwThrottlingException(context, detail);
  }
}
