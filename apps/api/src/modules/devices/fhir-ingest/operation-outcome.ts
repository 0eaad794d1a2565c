import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';

/** One problem with the input, named by its FHIRPath `expression` (`Observation.valueQuantity`). */
export interface Issue {
  code: OperationOutcomeIssue['code'];
  diagnostics: string;
  expression: string;
}

export const issue = (code: Issue['code'], expression: string, diagnostics: string): Issue => ({
  code,
  expression,
  diagnostics: `${expression}: ${diagnostics}`,
});

export function operationOutcome(issues: readonly Issue[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: 'error',
      code: i.code,
      diagnostics: i.diagnostics,
      expression: [i.expression],
    })),
  };
}

/** The HTTP status for a set of issues: the most specific wins over a plain 400. */
export function statusOf(issues: readonly Issue[]): number {
  const codes = new Set(issues.map((i) => i.code));
  if (codes.has('security') || codes.has('login')) return 401;
  if (codes.has('forbidden')) return 403;
  if (codes.has('not-found')) return 404;
  if (codes.has('conflict') || codes.has('duplicate')) return 409;
  if (codes.has('too-long')) return 413;
  if (codes.has('business-rule')) return 422;
  return 400;
}

export const HTTP_STATUS_TEXT: Record<number, string> = {
  200: '200 OK',
  201: '201 Created',
  400: '400 Bad Request',
  401: '401 Unauthorized',
  403: '403 Forbidden',
  404: '404 Not Found',
  409: '409 Conflict',
  413: '413 Payload Too Large',
  415: '415 Unsupported Media Type',
  422: '422 Unprocessable Entity',
};

/** Re-roots issues found in a bundle entry's resource: `Observation.x` → `Bundle.entry[2].resource.x`. */
export function inEntry(issues: readonly Issue[], index: number): Issue[] {
  const root = `Bundle.entry[${index}].resource`;
  return issues.map((i) => {
    const expression = i.expression.replace(/^Observation\b/, root);
    return {
      ...i,
      expression,
      diagnostics: i.diagnostics.replace(i.expression, expression),
    };
  });
}
