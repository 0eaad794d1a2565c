import type { NextFunction, Request, Response } from 'express';
import { shutdownGate } from './shutdown-gate';
import { SHUTDOWN_MESSAGE, ShutdownState } from './shutdown-state';

function through(shutdown: ShutdownState) {
  const headers: Record<string, string> = {};
  const sent: { status?: number; body?: unknown } = {};
  const res = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json: (body: unknown) => (sent.body = body),
  } as unknown as Response;
  const next = jest.fn() as NextFunction;
  shutdownGate(shutdown)({} as Request, res, next);
  return { headers, sent, next };
}

describe('shutdownGate', () => {
  it('lets requests through untouched while the instance runs', () => {
    const { headers, next } = through(new ShutdownState());
    expect(next).toHaveBeenCalled();
    expect(headers).toEqual({});
  });

  it('serves during the drain, closing each connection after its answer', () => {
    const shutdown = new ShutdownState();
    shutdown.begin();
    const { headers, next } = through(shutdown);
    expect(next).toHaveBeenCalled();
    expect(headers).toEqual({ connection: 'close' });
  });

  it('refuses a request on a kept-alive connection once the servers close, to be retried', () => {
    const shutdown = new ShutdownState();
    shutdown.stopAccepting();
    const { headers, sent, next } = through(shutdown);
    expect(next).not.toHaveBeenCalled();
    expect(headers).toEqual({ connection: 'close', 'retry-after': '1' });
    expect(sent).toEqual({
      status: 503,
      body: { statusCode: 503, error: 'Service Unavailable', message: SHUTDOWN_MESSAGE },
    });
  });
});
