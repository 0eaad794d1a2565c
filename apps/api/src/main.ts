import 'reflect-metadata';
import type { Server } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { installLastResortHandlers } from './common/last-resort';
import { loadConfig } from './config/config.schema';
import { resolveDatabase, type ResolvedDatabase } from './database/database-url';
import { ShutdownState } from './common/shutdown-state';
import { stopServing } from './stop-serving';

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
    let code = 0;
    if (app) {
      // SIGTERM is how orchestrators stop an instance: report not-ready first and keep serving
      // for a moment, so the load balancer moves new work away before it stops accepting it.
      app.get(ShutdownState).begin();
      if (signal === 'SIGTERM' && config.SHUTDOWN_DRAIN_MS > 0) {
        logger.log(`${signal}: not ready; draining for ${config.SHUTDOWN_DRAIN_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
      }
      logger.log(`${signal}: shutting down`);
      code = await closeWithin(app, config.SHUTDOWN_TIMEOUT_MS, logger);
    }
    // Told while the database was starting: wait for it, so it is stopped rather than orphaned.
    const started = await resolved?.catch(() => null);
    await started?.embedded?.stop().catch((err: Error) => logger.error(err.message));
    process.exit(code);
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

/**
 * Stops serving (stopServing: nothing new taken, what was taken answered and handed to the alert
 * engine, every connection ended), then closes the app (the engine's passes finish, the watchdog
 * stops, pools end), but not forever: a
 * request whose body never finishes arriving (a phone in a tunnel) holds the HTTP server open for
 * Node's 300 s request timeout, and a stalled network to PostgreSQL holds the pool's end. Past
 * `timeoutMs` the remaining connections are cut and the exit code says it was not clean (1); the
 * orchestrator's grace period (compose: 20 s) covers the drain and this bound.
 */
async function closeWithin(app: INestApplication, timeoutMs: number, logger: Logger) {
  let timer: NodeJS.Timeout | undefined;
  const closed = stopServing(app)
    .finally(() => app.close())
    .then(
      () => 'closed' as const,
      (err: Error) => {
        logger.error(`while closing: ${err.message}`);
        return 'closed' as const;
      },
    );
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  const outcome = await Promise.race([closed, late]);
  clearTimeout(timer);
  if (outcome === 'closed') return 0;
  logger.error(
    `not closed within SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms): cutting the remaining connections and exiting`,
  );
  (app.getHttpServer() as Server).closeAllConnections();
  return 1;
}

// A library may reject with anything, even nothing: say what it was and exit, never linger.
bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : `start failed: ${String(err)}`);
  process.exit(1);
});
