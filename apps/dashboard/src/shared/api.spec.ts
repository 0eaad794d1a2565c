import { api, ApiError } from './api';

const answer = (status: number, headers: Record<string, string>, body: unknown) =>
  ({
    status,
    ok: status < 400,
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
    text: () => Promise.resolve(JSON.stringify(body)),
  }) as unknown as Response;

describe('api', () => {
  it("carries a 503's or 429's Retry-After on the error, for the phone's outbox", async () => {
    const refusal = {
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'database: unavailable',
    };
    globalThis.fetch = jest.fn(() => Promise.resolve(answer(503, { 'retry-after': '5' }, refusal)));
    const err = await api('POST', '/api/sessions/s1/check-ins', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 503, retryAfterSeconds: 5 });

    globalThis.fetch = jest.fn(() => Promise.resolve(answer(502, {}, refusal)));
    expect(await api('GET', '/api/sessions').catch((e: unknown) => e)).toMatchObject({
      status: 502,
      retryAfterSeconds: null,
    });
  });
});
