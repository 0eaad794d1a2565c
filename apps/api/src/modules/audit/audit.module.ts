import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditLogService } from './audit-log.service';
import { AuditService } from './audit.service';
import { DenialAudit } from './denial-audit';
import { SupervisorOnlyGuard } from './supervisor-only.guard';

@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditLogService, SupervisorOnlyGuard, DenialAudit],
  exports: [AuditService, AuditLogService, SupervisorOnlyGuard, DenialAudit],
})
export class AuditModule {}
