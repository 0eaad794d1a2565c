import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ProtocolsModule } from '../protocols/protocols.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { SupervisorController } from './supervisor.controller';
import { SupervisorService } from './supervisor.service';

/** Supervisor history, alert response figures, REMS-style reports, account history. */
@Module({
  imports: [AuditModule, ProtocolsModule, SessionsModule, UsersModule],
  controllers: [SupervisorController],
  providers: [SupervisorService],
})
export class SupervisorModule {}
