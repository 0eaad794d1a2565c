import { z } from 'zod';
import { clientIdSchema, finiteNumber, intIn, isoDateTime, oneOf } from './schemas';

/**
 * Session flow and alert actions (contract v1 additions). Strict objects: an unknown field is
 * refused by name. The pre-dose screening accepts a partial answer: what is missing is reported
 * by the clinical gate as `incomplete`, not refused as a bad request.
 */
const isoTime = isoDateTime;
const bool = z.boolean({ error: 'must be true or false' });
const text = (max: number) =>
  z.string({ error: 'must be a string' }).max(max, `must be at most ${max} characters`);
const requiredText = (max: number) => text(max).trim().min(1, 'is required');
const answers = (count: number) =>
  z
    .array(intIn(0, 3), { error: `must be an array of ${count} answers from 0 to 3` })
    .length(count, `must have exactly ${count} answers`);

export const supportPersonSchema = z.strictObject({
  adult: bool,
  presentWholeSession: bool,
  name: requiredText(200),
  phone: requiredText(40),
});

export const screeningSubmissionSchema = z.strictObject({
  clientId: clientIdSchema,
  sbp: intIn(50, 300).optional(),
  dbp: intIn(20, 200).optional(),
  hr: intIn(20, 250).optional(),
  spo2: intIn(50, 100).optional(),
  supportPerson: supportPersonSchema.optional(),
  fasting: bool.optional(),
  noRecentSubstances: bool.optional(),
  concomitantBpRaisingMeds: bool.optional(),
  phq9: answers(9).optional(),
  gad7: answers(7).optional(),
  moaasBaseline: intIn(0, 5).optional(),
  note: text(2000).optional(),
});

export const doseSubmissionSchema = z.strictObject({
  clientId: clientIdSchema,
  doseMg: finiteNumber.gt(0, 'must be above 0').max(2000, 'must be at most 2000'),
  route: z.enum(['oral', 'sublingual'], { error: 'must be oral or sublingual' }),
  takenAt: isoTime,
  lot: text(100).optional(),
});

export const GATES = ['pre_dose', 'end'] as const;
export type Gate = (typeof GATES)[number];

export const overrideSubmissionSchema = z.strictObject({
  clientId: clientIdSchema,
  gate: z.enum(GATES, { error: 'must be pre_dose or end' }),
  reason: requiredText(2000),
});

export const TRANSITION_ACTIONS = [
  'start_screening',
  'start_monitoring',
  'begin_recovery',
  'sign_off',
  'abort',
] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

export const transitionSubmissionSchema = z
  .strictObject({
    clientId: clientIdSchema,
    action: oneOf(TRANSITION_ACTIONS),
    reason: text(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.action === 'abort' && !v.reason?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required to abort a session' });
    }
  });

export const resolveAlertSchema = z.strictObject({ note: requiredText(2000) });
/** An optional body: nothing to say when acknowledging. */
export const acknowledgeAlertSchema = z.strictObject({ note: text(2000).optional() });
export const silenceAlertSchema = z.strictObject({
  minutes: finiteNumber
    .gt(0, 'must be above 0')
    .max(2, 'must be at most 2 (a silence is never longer than 2 minutes)'),
});

export type ScreeningSubmission = z.infer<typeof screeningSubmissionSchema>;
export type DoseSubmission = z.infer<typeof doseSubmissionSchema>;
export type OverrideSubmission = z.infer<typeof overrideSubmissionSchema>;
export type TransitionSubmission = z.infer<typeof transitionSubmissionSchema>;
export type ResolveAlertRequest = z.infer<typeof resolveAlertSchema>;
export type AcknowledgeAlertRequest = z.infer<typeof acknowledgeAlertSchema>;
export type SilenceAlertRequest = z.infer<typeof silenceAlertSchema>;

/** v1.1: setting a per-patient protocol override (bounded settings only; CLINICAL.md v2). */
export const setOverrideSchema = z.strictObject({
  value: finiteNumber,
  reason: requiredText(2000),
});
export const clearOverrideSchema = z.strictObject({ reason: requiredText(2000) });
export type SetOverrideRequest = z.infer<typeof setOverrideSchema>;
export type ClearOverrideRequest = z.infer<typeof clearOverrideSchema>;
