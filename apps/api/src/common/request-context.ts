import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '@vigil/contracts';

export interface AuthUser {
  id: string;
  role: Role;
  name: string;
}

/** Who is asking and from where: what every access check and audit row needs. */
export interface RequestContext {
  user: AuthUser;
  ip: string | null;
  userAgent: string | null;
}

export type AuthenticatedRequest = Request & { user?: AuthUser };

export function contextFromRequest(req: AuthenticatedRequest): RequestContext {
  if (!req.user) throw new Error('contextFromRequest called on an unauthenticated route');
  return { user: req.user, ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
}

export const Ctx = createParamDecorator((_data: unknown, ctx: ExecutionContext) =>
  contextFromRequest(ctx.switchToHttp().getRequest<AuthenticatedRequest>()),
);
