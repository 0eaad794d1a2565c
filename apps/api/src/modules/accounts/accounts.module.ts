import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { UsersService } from './users.service';

/**
 * Accounts: users (staff and patients), patients' records and clinician assignments, made and
 * changed by the supervisor (`/api/admin/...`); other modules read names through UsersService.
 */
@Module({
  imports: [AuditModule, AuthModule],
  controllers: [AccountsController],
  providers: [AccountsService, UsersService],
  exports: [AccountsService, UsersService],
})
export class AccountsModule {}
