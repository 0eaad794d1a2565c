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
  /** The HTTP request's id (X-Request-Id), written in audit details; sockets have none. */
  requestId?: string;
}

export type AuthenticatedRequest = Request & { user?: AuthUser };

export function contextFromRequest(req: AuthenticatedRequest): RequestContext {
  if (!req.user) throw new Error('contextFromRequest called on an unauthenticated route');
  // pino-http gives every request an id (the caller's X-Request-Id when it looks like one).
  const id = (req as { id?: unknown }).id;
  return {
    user: req.user,
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
    ...(typeof id === 'string' ? { requestId: id } : {}),
  };
}

export const Ctx = createParamDecorator((_data: unknown, ctx: ExecutionContext) =>
  contextFromRequest(ctx.switchToHttp().getRequest<AuthenticatedRequest>()),
);
