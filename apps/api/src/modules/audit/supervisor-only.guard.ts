import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
} from '@nestjs/common';
import { contextFromRequest, type AuthenticatedRequest } from '../../common/request-context';
import { AuditService, auditFrom } from './audit.service';

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
    await this.audit.append([
      auditFrom(ctx, {
        action: 'supervisor.denied',
        entityType: 'route',
        entityId: `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`,
        patientId: null,
        outcome: 'denied',
      }),
    ]);
    throw new ForbiddenException(`role: ${ctx.user.role} may not use this route`);
  }
}
