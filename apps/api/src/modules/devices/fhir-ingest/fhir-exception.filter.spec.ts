import type { ArgumentsHost } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { SubmissionsBusyError } from '../../events/submission-queue';
import { FhirExceptionFilter } from './fhir-exception.filter';

/** A response that records what the filter sets on it. */
function fakeResponse() {
  const sent = { status: 0, headers: {} as Record<string, string>, body: '' };
  const res = {
    headersSent: false,
    setHeader: (name: string, value: string) => (sent.headers[name] = value),
    status: (code: number) => ((sent.status = code), res),
    type: () => res,
    send: (body: string) => ((sent.body = body), res),
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  return { sent, host };
}

describe('FhirExceptionFilter', () => {
  it('answers busy as a transient OperationOutcome with Retry-After', () => {
    const { sent, host } = fakeResponse();
    new FhirExceptionFilter().catch(new SubmissionsBusyError(), host);
    expect(sent.status).toBe(503);
    expect(sent.headers['Retry-After']).toBe('1');
    const outcome = JSON.parse(sent.body) as { issue: Array<{ code: string }> };
    expect(outcome.issue.map((i) => i.code)).toEqual(['transient']);
  });

  it("answers the device's rate limit as a 'throttled' OperationOutcome that keeps its message", () => {
    const { sent, host } = fakeResponse();
    const message =
      "rate limit: too many requests: this device's limit is 600 a minute; retry after 7 s";
    new FhirExceptionFilter().catch(new ThrottlerException(message), host);
    expect(sent.status).toBe(429);
    const outcome = JSON.parse(sent.body) as {
      issue: Array<{ code: string; diagnostics: string }>;
    };
    expect(outcome.issue).toEqual([
      expect.objectContaining({ code: 'throttled', diagnostics: `Observation: ${message}` }),
    ]);
  });
});
