import { z } from 'zod';
import { ALERT_PRIORITIES, SESSION_STATES } from './domain';
import { isoDateTime, oneOf } from './schemas';
import { AUDIT_VIEWS } from './audit-views';
import { SESSION_OUTCOMES } from './supervisor';

/**
 * Query strings of the supervisor routes. Strict: a misspelt filter is refused by name rather
 * than silently ignored (which would show a supervisor more than they asked for).
 */
const isoTime = isoDateTime;
const uuid = z.uuid({ error: 'must be a UUID' });
const pageNumber = z
  .string({ error: 'must be given once' })
  .regex(/^\d{1,6}$/, 'must be a whole number')
  .transform(Number)
  .refine((n) => n >= 1, 'must be at least 1');
const pageSize = z
  .string({ error: 'must be given once' })
  .regex(/^\d{1,4}$/, 'must be a whole number')
  .transform(Number)
  .refine((n) => n >= 1 && n <= 200, 'must be from 1 to 200');
const states = z
  .string({ error: 'must be given once' })
  .refine(
    (s) =>
      s === 'live' || s.split(',').every((x) => (SESSION_STATES as readonly string[]).includes(x)),
    `must be live or a comma-separated list of ${SESSION_STATES.join(', ')}`,
  );

const range = {
  from: isoTime.optional(),
  to: isoTime.optional(),
};

function fromBeforeTo(v: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (v.from && v.to && Date.parse(v.from) >= Date.parse(v.to)) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  }
}

export const sessionHistoryQuerySchema = z
  .strictObject({
    ...range,
    clinicianId: uuid.optional(),
    patientId: uuid.optional(),
    state: states.optional(),
    outcome: oneOf(SESSION_OUTCOMES).optional(),
    alertPriority: oneOf(ALERT_PRIORITIES).optional(),
    page: pageNumber.optional(),
    pageSize: pageSize.optional(),
  })
  .superRefine(fromBeforeTo);

export const alertFiguresQuerySchema = z.strictObject({ ...range }).superRefine(fromBeforeTo);

export const reportQuerySchema = z.strictObject({
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).optional(),
});

export const AUDIT_OUTCOMES = ['success', 'denied', 'error'] as const;

export const auditLogQuerySchema = z
  .strictObject({
    ...range,
    actorId: uuid.optional(),
    patientId: uuid.optional(),
    action: z
      .string({ error: 'must be given once' })
      .regex(/^[a-z0-9_.]+\*?$/, 'must be an action name, or a prefix ending in *')
      .max(100, 'is too long')
      .optional(),
    outcome: z.enum(AUDIT_OUTCOMES, { error: 'must be success, denied or error' }).optional(),
    view: z.enum(AUDIT_VIEWS, { error: 'must be clinical, access or submissions' }).optional(),
    page: pageNumber.optional(),
    pageSize: pageSize.optional(),
  })
  .superRefine(fromBeforeTo);

export type SessionHistoryFilters = z.infer<typeof sessionHistoryQuerySchema>;
export type AlertFiguresFilters = z.infer<typeof alertFiguresQuerySchema>;
export type AuditLogFilters = z.infer<typeof auditLogQuerySchema>;
