import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { CLOCK, type Clock, systemClock } from './common/clock';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { loggingParams } from './common/logging';
import { APP_CONFIG, DATABASE_URL } from './config/app-config';
import type { AppConfig } from './config/config.schema';
import { buildDataSourceOptions } from './database/data-source-options';
import { AdminModule } from './modules/admin/admin.module';
import { AlertsModule } from './modules/alerts/alerts.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { DemoModule } from './modules/demo/demo.module';
import { DevicesModule } from './modules/devices/devices.module';
import { EventsModule } from './modules/events/events.module';
import { FhirModule } from './modules/fhir/fhir.module';
import { HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { ProtocolsModule } from './modules/protocols/protocols.module';
import { CrossInstanceStatus } from './modules/realtime/cross-instance-status';
import { RealtimeModule } from './modules/realtime/realtime.module';
import { SessionFlowModule } from './modules/session-flow/session-flow.module';
import { SessionsModule } from './modules/sessions/sessions.module';
import { SubmissionsModule } from './modules/submissions/submissions.module';
import { SupervisorModule } from './modules/supervisor/supervisor.module';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const demo = options.config.VIGIL_MODE === 'demo';
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggingParams(options.config)),
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions(options.databaseUrl),
          migrationsRun: true,
        }),
        AuditModule,
        EventsModule,
        AuthModule,
        AdminModule,
        ProtocolsModule,
        SessionsModule,
        SessionFlowModule,
        AlertsModule,
        SubmissionsModule,
        RealtimeModule,
        SupervisorModule,
        FhirModule,
        DevicesModule,
        HealthModule,
        MetricsModule,
        ...(demo ? [DemoModule] : []),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: DATABASE_URL, useValue: options.databaseUrl },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        // Infrastructure: the readiness check (operations) and the gateway both read it.
        CrossInstanceStatus,
      ],
      exports: [APP_CONFIG, DATABASE_URL, CLOCK, CrossInstanceStatus],
    };
  }
}
