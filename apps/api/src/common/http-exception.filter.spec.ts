import type { ArgumentsHost } from '@nestjs/common';
import { BadRequestException, Logger } from '@nestjs/common';
import { ShutdownState } from './shutdown-state';
import { HttpExceptionFilter } from './http-exception.filter';

function answer(filter: HttpExceptionFilter, exception: unknown) {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = {
    headers: {},
  };
  const res = {
    headersSent: false,
    setHeader: (name: string, value: string) => (sent.headers[name] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json: (body: unknown) => (sent.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  filter.catch(exception, host);
  return sent;
}

describe('HttpExceptionFilter', () => {
  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => jest.restoreAllMocks());

  it('answers an unexpected error with a 500 that names nothing of the request', () => {
    const sent = answer(new HttpExceptionFilter(new ShutdownState()), new Error('pool exploded'));
    expect(sent.status).toBe(500);
    expect(sent.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'internal error',
    });
    expect(sent.headers['Retry-After']).toBeUndefined();
  });

  it('answers an unexpected error during shutdown with 503 and Retry-After, so clients retry', () => {
    const shutdown = new ShutdownState();
    shutdown.begin();
    const sent = answer(
      new HttpExceptionFilter(shutdown),
      new Error('Cannot use a pool after calling end on the pool'),
    );
    expect(sent.status).toBe(503);
    expect(sent.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'server: shutting down; retry',
    });
    expect(sent.headers['Retry-After']).toBe('1');
  });

  it('keeps a refusal a refusal during shutdown: 400 naming the field, body errors as they are', () => {
    const shutdown = new ShutdownState();
    shutdown.begin();
    const filter = new HttpExceptionFilter(shutdown);
    expect(answer(filter, new BadRequestException('sessionId: not a UUID')).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'sessionId: not a UUID',
    });
    expect(answer(filter, { type: 'entity.parse.failed' }).status).toBe(400);
  });
});
