import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { installLastResortHandlers } from './common/last-resort';
import { loadConfig } from './config/config.schema';
import { resolveDatabase, type ResolvedDatabase } from './database/database-url';
import { ShutdownState } from './common/shutdown-state';

async function bootstrap(): Promise<void> {
  const logger = new Logger('Vigil');
  installLastResortHandlers(new Logger('LastResort'));
  const config = loadConfig();
  let closing = false;
  const onRestart = (what: 'stopped' | 'restarted' | 'failed', detail: string) => {
    const line = `embedded PostgreSQL ${what} (${detail})`;
    if (what === 'restarted') logger.log(line);
    // A terminal's Ctrl-C signals the whole process group: the database (our child) stops on the
    // same SIGINT, often before shutdown() reaches `stop()`. Expected then, an error otherwise.
    else if (closing) logger.warn(`while shutting down: ${line}`);
    else logger.error(line);
  };
  let app: INestApplication | null = null;
  let resolved: Promise<ResolvedDatabase> | null = null;

  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    if (app) {
      // SIGTERM is how orchestrators stop an instance: report not-ready first and keep serving
      // for a moment, so the load balancer moves new work away before it stops accepting it.
      app.get(ShutdownState).begin();
      if (signal === 'SIGTERM' && config.SHUTDOWN_DRAIN_MS > 0) {
        logger.log(`${signal}: not ready; draining for ${config.SHUTDOWN_DRAIN_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
      }
      logger.log(`${signal}: shutting down`);
      await app.close().catch((err: Error) => logger.error(err.message));
    }
    // Told while the database was starting: wait for it, so it is stopped rather than orphaned.
    const started = await resolved?.catch(() => null);
    await started?.embedded?.stop().catch((err: Error) => logger.error(err.message));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // The embedded database's package would stop it and exit on SIGINT and SIGTERM: shutdown()
  // does that itself, in order, so those handlers go (registered after ours, told apart by that).
  resolved = resolveDatabase(config, { onRestart, callerHandlesSignals: true });
  const database = await resolved;
  // Everything Nest logs goes through pino as JSON on stdout (levels from LOG_LEVEL); lines
  // written before the logger exists are buffered and replayed through it.
  app = await NestFactory.create(AppModule.forRoot({ config, databaseUrl: database.url }), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  if (database.embedded) logger.log(`embedded PostgreSQL data in ${database.embedded.dataDir}`);
  await configureApp(app, config);
  if (closing) return; // told to stop while starting: shutdown() has it from here

  await app.listen(config.PORT, config.HOST);
  logger.log(`Vigil API (${config.VIGIL_MODE} mode) listening on http://localhost:${config.PORT}`);
}

// A library may reject with anything, even nothing: say what it was and exit, never linger.
bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : `start failed: ${String(err)}`);
  process.exit(1);
});
