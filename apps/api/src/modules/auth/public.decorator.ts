import { applyDecorators, Controller, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Role } from '@vigil/contracts';

export const IS_PUBLIC = 'vigil:public';
export const ROLES_KEY = 'vigil:roles';

/** A route anyone may call without a token (login, refresh, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Restricts a route to these roles; everyone else gets 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * A controller on the `/api/admin` surface, which two modules serve (accounts, scheduling):
 * supervisor-only and documented under one tag, written once so a new admin controller cannot
 * leave out the role.
 */
export const AdminController = () =>
  applyDecorators(ApiTags('admin'), ApiBearerAuth(), Roles('supervisor'), Controller('admin'));
