/**
 * Views of the audit log (issue 12): a supervisor reads what clinicians did apart from who
 * looked at what, and neither drowns in the phones' and devices' stream of vitals submissions.
 * One classification, used by the server's filter and by anyone labelling rows.
 */
export const AUDIT_VIEWS = ['clinical', 'access', 'submissions'] as const;
export type AuditView = (typeof AUDIT_VIEWS)[number];

/** Streamed vitals: by far the most rows, one per reading batch. */
export const SUBMISSION_ACTIONS: readonly string[] = ['vitals.submit', 'device.vitals.submit'];

/** Sign-ins, sockets, refusals and reads: who reached what. */
export const ACCESS_ACTION_PREFIXES: readonly string[] = [
  'auth.',
  'live.',
  'http.',
  'supervisor.',
  'audit.',
];
export const ACCESS_ACTION_SUFFIXES: readonly string[] = ['.read', '.list'];
export const ACCESS_ACTIONS: readonly string[] = [
  'session.watch',
  'session.unwatch',
  'session.fhir.export',
  'device.auth',
];

/** The view an action belongs to: access, submissions, or else a clinical action. */
export function auditViewOf(action: string): AuditView {
  if (SUBMISSION_ACTIONS.includes(action)) return 'submissions';
  if (
    ACCESS_ACTIONS.includes(action) ||
    ACCESS_ACTION_PREFIXES.some((p) => action.startsWith(p)) ||
    ACCESS_ACTION_SUFFIXES.some((s) => action.endsWith(s))
  )
    return 'access';
  return 'clinical';
}
