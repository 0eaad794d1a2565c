import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AuditService, type AuditEntry } from './audit.service';

/** Within this window, repeats of one denial (same action, actor, address, reason) share a row. */
export const DENIAL_WINDOW_MS = 10_000;

interface Pending {
  entry: AuditEntry;
  repeats: number;
  timer: NodeJS.Timeout;
}

/**
 * Audits denials that an attacker can repeat for free (bad handshakes, throttled logins, floods):
 * the first one at once, then one row per window with the number of repeats. Every denial is
 * on the record, but a flood cannot turn the serialised audit chain into a denial of service.
 * Best effort: a failed write is logged, never thrown at the code that refused the request.
 */
@Injectable()
export class DenialAudit implements OnModuleDestroy {
  private readonly logger = new Logger('DenialAudit');
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly audit: AuditService) {}

  record(entry: AuditEntry): void {
    const key = JSON.stringify([
      entry.action,
      entry.actorId,
      entry.ip,
      entry.entityId,
      entry.detail?.reason,
    ]);
    const open = this.pending.get(key);
    if (open) {
      open.repeats += 1;
      return;
    }
    const timer = setTimeout(() => this.close(key), DENIAL_WINDOW_MS);
    timer.unref();
    this.pending.set(key, { entry, repeats: 0, timer });
    this.write(entry);
  }

  onModuleDestroy(): void {
    for (const key of [...this.pending.keys()]) this.close(key);
  }

  private close(key: string): void {
    const open = this.pending.get(key);
    if (!open) return;
    clearTimeout(open.timer);
    this.pending.delete(key);
    if (open.repeats > 0)
      this.write({
        ...open.entry,
        detail: { ...open.entry.detail, repeats: open.repeats, windowMs: DENIAL_WINDOW_MS },
      });
  }

  private write(entry: AuditEntry): void {
    this.audit
      .append([entry])
      .catch((err: Error) => this.logger.error(`denial audit failed: ${err.message}`));
  }
}
