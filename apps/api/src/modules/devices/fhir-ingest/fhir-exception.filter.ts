import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { RetryLaterException } from '../../../common/retry-later.exception';
import { issue, operationOutcome, type Issue } from './operation-outcome';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/**
 * On the FHIR routes every error is an OperationOutcome: a FhirError carries its own; any other
 * HTTP error (the device guard's 401, a 413) is wrapped; anything unexpected is a 500 whose
 * details stay in the log (never the request: it holds health information).
 */
@Catch()
export class FhirExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('FhirIngest');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const status = exception.getStatus();
      const outcome =
        typeof body === 'object' && body !== null && 'resourceType' in body
          ? body
          : operationOutcome([issueFor(status, exception.message)]);
      // Busy (nothing stored): the device sends the same Bundle again after Retry-After (a 429's
      // Retry-After is already set by the rate limit guard).
      if (exception instanceof RetryLaterException)
        res.setHeader('Retry-After', String(exception.retryAfterSeconds));
      res.status(status).type(FHIR_JSON).send(JSON.stringify(outcome));
      return;
    }
    const err = exception as Error;
    this.logger.error(`${err?.name ?? 'Error'}: ${err?.message ?? String(exception)}`, err?.stack);
    res
      .status(500)
      .type(FHIR_JSON)
      .send(
        JSON.stringify(operationOutcome([issue('exception', 'Bundle', 'internal error; retry')])),
      );
  }
}

function issueFor(status: number, message: string): Issue {
  // The device's rate limit (RestThrottlerGuard): about the device, not a field of the body.
  if (status === 429) return issue('throttled', 'Observation', message);
  const [field, ...rest] = message.split(': ');
  const text = rest.length > 0 ? rest.join(': ') : message;
  const expression = rest.length > 0 ? field : 'Observation';
  if (status === 401) return issue('login', expression, text);
  if (status === 403) return issue('forbidden', expression, text);
  if (status === 404) return issue('not-found', expression, text);
  if (status === 413) return issue('too-long', expression, text);
  if (status === 415) return issue('not-supported', expression, text);
  if (status === 503) return issue('transient', expression, text);
  return issue('invalid', expression, text);
}
