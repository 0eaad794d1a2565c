import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { userNames } from './accounts.repository';

/** What other modules may read about accounts (reports and exports name the staff involved). */
@Injectable()
export class UsersService {
  /** Display names by user id, in the caller's transaction; ids that are not users are absent. */
  names(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
    return userNames(manager, ids);
  }
}
