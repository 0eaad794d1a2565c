import type { ArgumentsHost } from '@nestjs/common';
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
});
