import { Inject, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../common/request-context';
import type { AuditEntry } from '../audit/audit.service';
import { DenialAudit } from '../audit/denial-audit';

/** Whole seconds until the client may try again: what Retry-After says. */
export function retryAfterS(detail: ThrottlerLimitDetail): number {
  return Math.max(1, detail.timeToBlockExpire);
}

/**
 * A throttler whose every refusal is on the audit trail (repeats coalesced by DenialAudit, so a
 * flood cannot flood the audit chain) and says when to try again. A subclass says what its
 * denial row records.
 */
export abstract class AuditedThrottlerGuard extends ThrottlerGuard {
  // A property, not a constructor parameter: each subclass takes the library's constructor, or
  // its own for options under another token, without handing this on through super().
  @Inject(DenialAudit) private readonly denials!: DenialAudit;

  protected abstract denial(req: AuthenticatedRequest, detail: ThrottlerLimitDetail): AuditEntry;

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const http = context.switchToHttp();
    // The library names the header after the throttler (`Retry-After-login-ip`), which no client
    // reads: the standard name tells the simulator and browsers when to try again.
    http.getResponse<Response>().setHeader('Retry-After', String(retryAfterS(detail)));
    this.denials.record(this.denial(http.getRequest<AuthenticatedRequest>(), detail));
    return super.throwThrottlingException(context, detail);
  }
}
