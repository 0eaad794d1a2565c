import { type DynamicModule, Module } from '@nestjs/common';
import { CLOCK, type Clock, systemClock } from '../common/clock';
import { ShutdownState } from '../common/shutdown-state';
import { APP_CONFIG, type AppConfig, DATABASE_URL } from './app-config';

export interface AppConfigOptions {
  config: AppConfig;
  databaseUrl: string;
  clock?: Clock;
}

/**
 * The values known only at boot (the validated configuration, the database URL, the clock) and
 * the process's own state (whether it is shutting down), registered once by the app module. Global on purpose, like the logger and the TypeORM
 * connection: they are settings every module reads, not a module's services, and a static
 * module that feature modules import could not carry values chosen at boot. Feature modules
 * are never global; each imports the modules whose services it injects.
 */
@Module({})
export class AppConfigModule {
  static forRoot(options: AppConfigOptions): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: DATABASE_URL, useValue: options.databaseUrl },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        ShutdownState,
      ],
      exports: [APP_CONFIG, DATABASE_URL, CLOCK, ShutdownState],
    };
  }
}
