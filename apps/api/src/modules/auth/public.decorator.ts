import { SetMetadata } from '@nestjs/common';
import type { Role } from '@vigil/contracts';

export const IS_PUBLIC = 'vigil:public';
export const ROLES_KEY = 'vigil:roles';

/** A route anyone may call without a token (login, refresh, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Restricts a route to these roles; everyone else gets 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
