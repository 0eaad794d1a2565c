import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { installLastResortHandlers } from './common/last-resort';
import { loadConfig } from './config/config.schema';
import { resolveDatabase } from './database/database-url';
import { ShutdownState } from './common/shutdown-state';

async function bootstrap(): Promise<void> {
  const logger = new Logger('Vigil');
  installLastResortHandlers(new Logger('LastResort'));
  const config = loadConfig();
  const database = await resolveDatabase(config, (what, detail) => {
    const line = `embedded PostgreSQL ${what} (${detail})`;
    if (what === 'restarted') logger.log(line);
    else logger.error(line);
  });

  // Everything Nest logs goes through pino as JSON on stdout (levels from LOG_LEVEL); lines
  // written before the logger exists are buffered and replayed through it.
  const app = await NestFactory.create(AppModule.forRoot({ config, databaseUrl: database.url }), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  if (database.embedded) logger.log(`embedded PostgreSQL data in ${database.embedded.dataDir}`);
  await configureApp(app, config);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    // SIGTERM is how orchestrators stop an instance: report not-ready first and keep serving for
    // a moment, so the load balancer moves new work away before the server stops accepting it.
    app.get(ShutdownState).begin();
    if (signal === 'SIGTERM' && config.SHUTDOWN_DRAIN_MS > 0) {
      logger.log(`${signal}: not ready; draining for ${config.SHUTDOWN_DRAIN_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
    }
    logger.log(`${signal}: shutting down`);
    await app.close().catch((err: Error) => logger.error(err.message));
    await database.embedded?.stop().catch((err: Error) => logger.error(err.message));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen(config.PORT, config.HOST);
  logger.log(`Vigil API (${config.VIGIL_MODE} mode) listening on http://localhost:${config.PORT}`);
}

// A library may reject with anything, even nothing: say what it was and exit, never linger.
bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : `start failed: ${String(err)}`);
  process.exit(1);
});
