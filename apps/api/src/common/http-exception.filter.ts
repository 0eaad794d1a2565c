import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import type { ErrorBody } from '@vigil/contracts';
import { SHUTDOWN_MESSAGE, SHUTDOWN_RETRY_AFTER_S, ShutdownState } from './shutdown-state';
import { RetryLaterException } from './retry-later.exception';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnreachable } from './database-unreachable';

interface BodyParserError {
  type?: string;
  status?: number;
}

/** How long a client told the database is unreachable waits (a restart takes seconds). */
const DATABASE_RETRY_AFTER_S = 5;

/**
 * Every error leaves as `{ statusCode, error, message }` with a single string message. Body
 * parser failures become 400/413 naming the body; anything unexpected becomes a 500 whose
 * details stay in the server log (never request data: it may hold health information). Once
 * the instance is stopping, an unexpected failure is most likely a request caught by the
 * closing database pool, so it answers 503 with Retry-After: the phone's outbox and the
 * simulator retry it (on another instance behind the proxy) instead of reporting a fault. So
 * does a failure that says the database is unreachable (isDatabaseUnreachable).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(private readonly shutdown: ShutdownState) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (this.shutdown.draining && this.unexpected(exception)) {
      const err = exception as Error;
      this.logger.warn(`while shutting down: ${err?.name ?? 'Error'}: ${err?.message}`);
      exception = new RetryLaterException(SHUTDOWN_MESSAGE, SHUTDOWN_RETRY_AFTER_S);
    } else if (this.unexpected(exception) && isDatabaseUnreachable(exception)) {
      // The database restarting or cut off: nothing was stored, the client sends it again.
      this.logger.warn(`database unreachable: ${(exception as Error).message}`);
      exception = new RetryLaterException(DATABASE_UNAVAILABLE_MESSAGE, DATABASE_RETRY_AFTER_S);
    }
    const body = this.toBody(exception);
    // A busy answer (RetryLaterException) is the overload path working, not a fault to log.
    if (body.statusCode >= 500 && !(exception instanceof RetryLaterException)) {
      const err = exception as Error;
      this.logger.error(
        `${err?.name ?? 'Error'}: ${err?.message ?? String(exception)}`,
        err?.stack,
      );
    }
    if (res.headersSent) return;
    if (exception instanceof RetryLaterException)
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    res.status(body.statusCode).json(body);
  }

  private unexpected(exception: unknown): boolean {
    return !(exception instanceof HttpException) && bodyParserErrorBody(exception) === null;
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      let message = exception.message;
      if (typeof response === 'object' && response !== null && 'message' in response) {
        const m = response.message;
        message = Array.isArray(m) ? m.join('; ') : String(m);
      }
      return { statusCode: status, error: reasonPhrase(status), message };
    }
    const parserBody = bodyParserErrorBody(exception);
    if (parserBody) return parserBody;
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'Internal Server Error',
      message: 'internal error',
    };
  }
}

function reasonPhrase(status: number): string {
  const phrases: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    503: 'Service Unavailable',
  };
  return phrases[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}

/** The contract's error body for a body-parser failure, or null if it is not one. */
export function bodyParserErrorBody(exception: unknown): ErrorBody | null {
  const parserError = exception as BodyParserError | null;
  if (!parserError || typeof parserError !== 'object' || typeof parserError.type !== 'string')
    return null;
  if (parserError.type === 'entity.too.large') {
    return {
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'body: larger than the 64 KB limit',
    };
  }
  if (parserError.type === 'entity.parse.failed') {
    return { statusCode: 400, error: 'Bad Request', message: 'body: not valid JSON' };
  }
  if (parserError.status && parserError.status < 500) {
    return {
      statusCode: parserError.status,
      error: reasonPhrase(parserError.status),
      message: `body: ${parserError.type}`,
    };
  }
  return null;
}
