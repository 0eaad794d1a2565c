import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ProtocolsModule } from '../protocols/protocols.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

/** Supervisor administration: accounts, assignments, scheduling, login lockouts. */
@Module({
  imports: [AuditModule, AuthModule, ProtocolsModule, SessionsModule],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
