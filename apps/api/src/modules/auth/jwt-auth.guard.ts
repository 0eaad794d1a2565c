import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@vigil/contracts';
import type { AuthenticatedRequest, AuthUser } from '../../common/request-context';
import { DenialAudit, routeDenial } from '../audit/denial-audit';
import { AuthService } from './auth.service';
import { IS_PUBLIC, ROLES_KEY } from './public.decorator';

/** Global guard: every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly denials: DenialAudit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    const user = await this.auth.authenticate(match?.[1]);
    if (!user) {
      this.deny(req, null, 'unauthenticated');
      throw new UnauthorizedException('authorization: missing, invalid or expired access token');
    }
    req.user = { id: user.id, role: user.role, name: user.name };
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) {
      this.deny(req, req.user, 'role');
      throw new ForbiddenException(`role: ${user.role} may not use this route`);
    }
    return true;
  }

  /** Every refused request is on the audit trail (repeats coalesced, see DenialAudit). */
  private deny(req: AuthenticatedRequest, user: AuthUser | null, reason: string): void {
    this.denials.record(routeDenial(req, user, 'http.denied', { reason }));
  }
}
