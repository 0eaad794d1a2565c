import { ServiceUnavailableException } from '@nestjs/common';

/** A 503 the client should retry: HttpExceptionFilter sends its `Retry-After` (seconds). */
export class RetryLaterException extends ServiceUnavailableException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
