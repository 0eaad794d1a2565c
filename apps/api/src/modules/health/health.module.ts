import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AlertsModule } from '../alerts/alerts.module';
import { EventsModule } from '../events/events.module';
import { MetricsModule } from '../metrics/metrics.module';
import { DatabaseProbe } from './database-probe';
import { DatabaseStatus } from './database-status';
import { HealthController } from './health.controller';
import { PoolDoctor } from './pool-doctor';
import { RedisProbe } from './redis-probe';

/**
 * /api/health (contract v1), /api/health/live and /api/health/ready; and whether the database
 * answers, for the dashboards (DatabaseStatus).
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), AlertsModule, EventsModule, MetricsModule],
  controllers: [HealthController],
  providers: [DatabaseProbe, DatabaseStatus, PoolDoctor, RedisProbe],
  exports: [DatabaseStatus],
})
export class HealthModule {}
