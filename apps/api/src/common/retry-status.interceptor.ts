import {
  HttpStatus,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { tap, type Observable } from 'rxjs';

/**
 * An idempotent POST answers 201 when it made something new and 200 for a recognised retry (same
 * clientId, same body), which its result says with `duplicate`; the routes keep Nest's 201.
 */
@Injectable()
export class RetryStatusInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      tap((result: { duplicate?: boolean } | undefined) => {
        if (result?.duplicate) context.switchToHttp().getResponse<Response>().status(HttpStatus.OK);
      }),
    );
  }
}
