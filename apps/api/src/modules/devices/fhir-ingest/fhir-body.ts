import type { NestExpressApplication } from '@nestjs/platform-express';
import { findUnstorable } from '@vigil/contracts';
import { json, type NextFunction, type Request, type Response } from 'express';
import { operationOutcome, issue } from './operation-outcome';

/** Where devices post FHIR, and how large a post may be: a 600-reading bundle fits easily. */
export const FHIR_INGEST_PATH = '/api/fhir';
export const FHIR_BODY_LIMIT = '512kb';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/**
 * FHIR clients send `application/fhir+json`, and bundles outgrow the API's 64 KB: the ingest
 * routes get their own parser (it runs first; the general one then sees a parsed body and skips)
 * and their body errors answer as an OperationOutcome. Call before the general JSON parser.
 */
export function useFhirIngestBody(express: NestExpressApplication): void {
  express.use(
    FHIR_INGEST_PATH,
    json({
      limit: FHIR_BODY_LIMIT,
      strict: true,
      type: ['application/fhir+json', 'application/json'],
    }),
  );
  express.use(
    FHIR_INGEST_PATH,
    (err: unknown, _req: Request, res: Response, next: NextFunction) => {
      const type = (err as { type?: unknown } | null)?.type;
      if (typeof type !== 'string') return next(err);
      const tooLarge = type === 'entity.too.large';
      const status = tooLarge ? 413 : 400;
      const outcome = operationOutcome([
        tooLarge
          ? issue(
              'too-long',
              'Bundle',
              `body larger than the ${FHIR_BODY_LIMIT.replace('kb', ' KB')} limit`,
            )
          : issue(
              'structure',
              'Bundle',
              type === 'entity.parse.failed' ? 'body is not valid JSON' : type,
            ),
      ]);
      res.status(status).type(FHIR_JSON).send(JSON.stringify(outcome));
    },
  );
  // Text PostgreSQL cannot store (NUL, a lone surrogate) or nesting too deep to walk is refused
  // here as for every route, but in FHIR's words.
  express.use(FHIR_INGEST_PATH, (req: Request, res: Response, next: NextFunction) => {
    const body = req.body as { resourceType?: unknown } | undefined;
    const bad = findUnstorable(body);
    if (bad === null) return next();
    const root = typeof body?.resourceType === 'string' ? body.resourceType : 'Bundle';
    const outcome = operationOutcome([issue('invalid', `${root}.${bad.field}`, bad.message)]);
    res.status(400).type(FHIR_JSON).send(JSON.stringify(outcome));
  });
}
