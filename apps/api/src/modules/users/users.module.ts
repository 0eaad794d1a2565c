import { Module } from '@nestjs/common';
import { UsersService } from './users.service';

/** Accounts as other modules see them: names for reports and exports. */
@Module({ providers: [UsersService], exports: [UsersService] })
export class UsersModule {}
