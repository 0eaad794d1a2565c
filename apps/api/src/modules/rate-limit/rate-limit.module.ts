import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AuditModule } from '../audit/audit.module';
import { REST_THROTTLER_OPTIONS, restThrottlerOptions } from './rest-limits';
import { RestThrottlerGuard } from './rest-throttler.guard';

/**
 * The per-principal REST limit. AuthModule makes the guard global right after JwtAuthGuard (the
 * order of APP_GUARD providers in one module is the order they run); DevicesModule lists it on
 * the FHIR ingest routes after DeviceAuthGuard. The counts live in @nestjs/throttler's storage,
 * which AuthModule's ThrottlerModule provides to the whole app (per instance, in memory).
 */
@Module({
  imports: [AuditModule],
  providers: [
    {
      provide: REST_THROTTLER_OPTIONS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => restThrottlerOptions(config),
    },
    RestThrottlerGuard,
  ],
  exports: [REST_THROTTLER_OPTIONS, RestThrottlerGuard],
})
export class RateLimitModule {}
