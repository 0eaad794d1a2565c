import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type Express,
  json,
  static as serveStatic,
  type NextFunction,
  type Request,
  type Response,
} from 'express';
import { findUnstorable, type Unstorable } from '@vigil/contracts';
import { bodyParserErrorBody } from './common/http-exception.filter';
import { noStoreForApi, securityHeaders } from './common/security-headers';
import { shutdownGate } from './common/shutdown-gate';
import { ShutdownState } from './common/shutdown-state';
import type { AppConfig } from './config/config.schema';
import { ClinicalWatchdogService } from './modules/alerts/clinical-watchdog.service';
import { useFhirIngestBody } from './modules/devices/fhir-ingest/fhir-body';
import { VigilMetrics } from './modules/metrics/vigil-metrics';
import { CrossInstanceStatus } from './modules/realtime/cross-instance-status';
import { type TrustProxy, VigilIoAdapter } from './modules/realtime/vigil-io.adapter';

export const BODY_LIMIT = '64kb';

/** HTTP settings shared by main.ts and the e2e tests, so tests run the app as it ships. */
export async function configureApp(app: INestApplication, config: AppConfig): Promise<void> {
  const express = app as NestExpressApplication;
  express.set('trust proxy', config.TRUST_PROXY);
  express.disable('x-powered-by');
  express.use(securityHeaders());
  express.use(noStoreForApi);
  express.use(shutdownGate(app.get(ShutdownState)));
  useFhirIngestBody(express);
  express.use(json({ limit: BODY_LIMIT, strict: true }));
  // Body parser failures happen before Nest's pipeline: answer them here in the contract's shape.
  express.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const body = bodyParserErrorBody(err);
    if (!body) return next(err);
    res.status(body.statusCode).json(body);
  });
  // Every body and query string, whatever route it is for: text PostgreSQL cannot store, or a
  // value nested too deep to walk, is a 400 naming the field here, never a 500 later.
  express.use((req: Request, res: Response, next: NextFunction) => {
    const bad = findUnstorable(req.body as unknown) ?? prefixed('query', findUnstorable(req.query));
    if (bad === null) return next();
    res
      .status(400)
      .json({ statusCode: 400, error: 'Bad Request', message: `${bad.field}: ${bad.message}` });
  });
  serveDashboard(express, config);
  app.setGlobalPrefix('api');
  // Express's compiled `trust proxy` rule, so sockets trust exactly the hops HTTP requests do.
  const instance: Express = express.getHttpAdapter().getInstance();
  const trustProxy = instance.get('trust proxy fn') as TrustProxy;
  const io = new VigilIoAdapter(app, config, trustProxy);
  await io.connectRedis();
  app.useWebSocketAdapter(io);
  const metrics = app.get(VigilMetrics);
  metrics.countSockets(() => io.socketsByRole());
  const watchdog = app.get(ClinicalWatchdogService);
  metrics.readWatchdog(() => watchdog.lastSuccessfulTickAt);
  const crossInstance = app.get(CrossInstanceStatus, { strict: false });
  metrics.readCrossInstance(() => crossInstance.isDegraded());
  if (config.METRICS_PORT) await metrics.listen(config.METRICS_PORT, config.METRICS_HOST);
  const origins = config.ALLOWED_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length > 0) app.enableCors({ origin: origins, credentials: false });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Vigil API')
      .setDescription('Public contract v1: see docs/API.md')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
}

function prefixed(prefix: string, bad: Unstorable | null): Unstorable | null {
  if (bad === null) return null;
  return { ...bad, field: bad.field === 'body' ? prefix : `${prefix}.${bad.field}` };
}

const REVALIDATED = /(^|[\\/])(sw\.js|registerSW\.js|manifest\.webmanifest|index\.html)$/;

/** The built web app, same origin as the API; client-side routes fall back to index.html. */
function serveDashboard(express: NestExpressApplication, config: AppConfig): void {
  const dist = resolve(config.DASHBOARD_DIST);
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return;
  express.use(
    serveStatic(dist, {
      index: false,
      maxAge: '1h',
      // The service worker and what it precaches by a fixed name must be revalidated on every
      // load, or a phone keeps an old app for an hour after a deploy.
      setHeaders: (res, path) => {
        if (REVALIDATED.test(path)) res.setHeader('cache-control', 'no-cache');
      },
    }),
  );
  express.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/socket.io'))
      return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
}
