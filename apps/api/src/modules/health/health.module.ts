import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AlertsModule } from '../alerts/alerts.module';
import { DatabaseProbe } from './database-probe';
import { HealthController } from './health.controller';
import { RedisProbe } from './redis-probe';
import { ShutdownState } from '../../common/shutdown-state';

/** /api/health (contract v1), /api/health/live and /api/health/ready. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), AlertsModule],
  controllers: [HealthController],
  providers: [DatabaseProbe, RedisProbe, ShutdownState],
  exports: [ShutdownState],
})
export class HealthModule {}
