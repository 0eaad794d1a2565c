import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { AuthenticatedRequest, AuthUser } from '../../common/request-context';
import { AuditService, type AuditEntry } from './audit.service';

/** Within this window, repeats of one denial (same action, actor, address, reason) share a row. */
export const DENIAL_WINDOW_MS = 10_000;

/** A refused HTTP request as a denial row: who (if known), which route, from where, and why. */
export function routeDenial(
  req: AuthenticatedRequest,
  user: AuthUser | null,
  action: string,
  detail: AuditEntry['detail'],
): AuditEntry {
  const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
  return {
    actorId: user?.id ?? null,
    actorRole: user?.role ?? null,
    action,
    entityType: 'route',
    entityId: `${req.method} ${route}`,
    patientId: null,
    outcome: 'denied',
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
    detail,
  };
}

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
  private readonly writing = new Set<Promise<void>>();

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
    const timer = setTimeout(() => void this.close(key), DENIAL_WINDOW_MS);
    timer.unref();
    this.pending.set(key, { entry, repeats: 0, timer });
    void this.write(entry);
  }

  /** Writes the open windows' counts before the database goes away. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((key) => this.close(key)));
    await Promise.all(this.writing);
  }

  private close(key: string): Promise<void> {
    const open = this.pending.get(key);
    if (!open) return Promise.resolve();
    clearTimeout(open.timer);
    this.pending.delete(key);
    if (open.repeats === 0) return Promise.resolve();
    return this.write({
      ...open.entry,
      detail: { ...open.entry.detail, repeats: open.repeats, windowMs: DENIAL_WINDOW_MS },
    });
  }

  private write(entry: AuditEntry): Promise<void> {
    const done = this.audit
      .append([entry])
      .catch((err: Error) => this.logger.error(`denial audit failed: ${err.message}`))
      .finally(() => this.writing.delete(done));
    this.writing.add(done);
    return done;
  }
}
