import { Injectable } from '@nestjs/common';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import type { AuditEntry } from '../audit/audit.service';
import { AuditedThrottlerGuard } from '../rate-limit/audited-throttler.guard';

/** The per-address login limit (password spraying), with every refusal on the audit trail. */
@Injectable()
export class LoginThrottlerGuard extends AuditedThrottlerGuard {
  protected denial(req: Request, detail: ThrottlerLimitDetail): AuditEntry {
    return {
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
    };
  }
}
