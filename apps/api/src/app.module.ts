import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { loggingParams } from './config/logging';
import { AppConfigModule, type AppConfigOptions } from './config/app-config.module';
import { buildDataSourceOptions } from './database/data-source-options';
import { migrateDatabase } from './database/migrate-database';
import { AccountsModule } from './modules/accounts/accounts.module';
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
import { RealtimeModule } from './modules/realtime/realtime.module';
import { SessionFlowModule } from './modules/session-flow/session-flow.module';
import { SessionScheduleModule } from './modules/scheduling/session-schedule.module';
import { SessionsModule } from './modules/sessions/sessions.module';
import { SubmissionsModule } from './modules/submissions/submissions.module';
import { SupervisorModule } from './modules/supervisor/supervisor.module';

export type AppModuleOptions = AppConfigOptions;

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const demo = options.config.VIGIL_MODE === 'demo';
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(options),
        LoggerModule.forRoot(loggingParams(options.config)),
        TypeOrmModule.forRootAsync({
          // The migrations first, under the advisory lock every migrator takes: instances started
          // together on a new database take turns, the first applies them, the others find none.
          useFactory: async () => {
            await migrateDatabase(options.databaseUrl);
            return buildDataSourceOptions(options.databaseUrl);
          },
        }),
        AuditModule,
        EventsModule,
        AuthModule,
        AccountsModule,
        ProtocolsModule,
        SessionsModule,
        SessionScheduleModule,
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
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
