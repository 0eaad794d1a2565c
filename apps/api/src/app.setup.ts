import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import { bodyParserErrorBody } from './common/http-exception.filter';
import type { AppConfig } from './config/config.schema';
import { VigilIoAdapter } from './modules/realtime/vigil-io.adapter';

export const BODY_LIMIT = '64kb';

/** HTTP settings shared by main.ts and the e2e tests, so tests run the app as it ships. */
export async function configureApp(app: INestApplication, config: AppConfig): Promise<void> {
  const express = app as NestExpressApplication;
  express.set('trust proxy', 'loopback');
  express.disable('x-powered-by');
  express.use(json({ limit: BODY_LIMIT, strict: true }));
  // Body parser failures happen before Nest's pipeline: answer them here in the contract's shape.
  express.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const body = bodyParserErrorBody(err);
    if (!body) return next(err);
    res.status(body.statusCode).json(body);
  });
  app.setGlobalPrefix('api');
  const io = new VigilIoAdapter(app, config);
  await io.connectRedis();
  app.useWebSocketAdapter(io);
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
