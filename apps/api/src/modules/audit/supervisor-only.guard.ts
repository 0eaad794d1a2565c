import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
} from '@nestjs/common';
import { z } from 'zod';
import { contextFromRequest, type AuthenticatedRequest } from '../../common/request-context';
import { AuditService, auditFrom } from './audit.service';

const uuid = z.uuid();
const idOf = (value: unknown) =>
  typeof value === 'string' && uuid.safeParse(value).success ? value.toLowerCase() : null;

/**
 * Supervisor-only routes (history, reports, figures, the audit log). Unlike `@Roles`, a refusal
 * is itself audited: somebody trying to read the audit trail is worth knowing about. Runs after
 * the global JwtAuthGuard, so the caller is already authenticated.
 */
@Injectable()
export class SupervisorOnlyGuard implements CanActivate {
  constructor(private readonly audit: AuditService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const ctx = contextFromRequest(req);
    if (ctx.user.role === 'supervisor') return true;
    const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
    // Whose record was asked for, so the refusal is in her log (and a session's FHIR trail):
    // a route about one session is `sessions/:id/...`, as `SessionId` reads it; a search or the
    // log itself may name a patient in `patientId`.
    const sessionId = /\/sessions\/:id(\/|$)/.test(route) ? idOf(req.params.id) : null;
    const patientId = sessionId
      ? await this.audit.patientOfSession(sessionId)
      : idOf(req.query.patientId);
    await this.audit.append([
      auditFrom(ctx, {
        action: 'supervisor.denied',
        entityType: 'route',
        entityId: `${req.method} ${route}`,
        patientId,
        outcome: 'denied',
        ...(sessionId && { detail: { sessionId } }),
      }),
    ]);
    throw new ForbiddenException(`role: ${ctx.user.role} may not use this route`);
  }
}
