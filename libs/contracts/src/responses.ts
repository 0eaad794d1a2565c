import { z } from 'zod';
import { DEVICE_KINDS } from './devices';
import {
  ALERT_PRIORITIES,
  ALERT_STATUSES,
  ROLES,
  SESSION_EVENT_TYPES,
  SESSION_STATES,
} from './domain';
import { dateTime, nullable, ref, uuid } from './response-primitives';
import type { SessionEvent } from './session-events';

/**
 * What every REST route answers, as zod schemas: the OpenAPI description at /api/docs is made
 * from them (z.toJSONSchema) and an e2e test validates real answers against that description.
 * Objects are strict, so a field a route sends but the contract does not name fails the test
 * (a leaked column is found, not documented by accident). The TypeScript types the code uses
 * are inferred from these schemas (z.infer), so an answer's shape is written once.
 */

export const errorBodySchema = z.strictObject({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const userSummarySchema = z.strictObject({
  id: uuid,
  role: z.enum(ROLES),
  name: z.string(),
});
export const tokenPairSchema = z.strictObject({
  accessToken: z.string(),
  refreshToken: z.string(),
});
export const loginResponseSchema = tokenPairSchema.extend({ user: userSummarySchema });
export type UserSummary = z.infer<typeof userSummarySchema>;
export type TokenPair = z.infer<typeof tokenPairSchema>;
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** How a bounded setting is named to a reader, in a session summary and in a patient's overrides. */
const namedSetting = { setting: z.string(), label: z.string(), unit: z.string() };

/** An override in force, as a session summary lists it. */
export const overrideInForceSchema = z.strictObject({
  ...namedSetting,
  value: z.number(),
  default: z.number(),
});
export type OverrideInForce = z.infer<typeof overrideInForceSchema>;

export const sessionSummarySchema = z.strictObject({
  id: uuid,
  patient: ref,
  clinician: ref,
  state: z.enum(SESSION_STATES),
  protocol: z.strictObject({ id: uuid, name: z.string(), version: z.number().int() }),
  scheduledFor: nullable(dateTime),
  dosedAt: nullable(dateTime),
  endedAt: nullable(dateTime),
  headSeq: z.number().int().min(0),
  /** v1.1: the patient's protocol overrides in force (CLINICAL.md v2 bounded settings). */
  overrides: z.array(overrideInForceSchema).optional(),
  /**
   * v1.2: the care team's phone number (operator setting CARE_TEAM_PHONE), on GET /api/sessions
   * and GET /api/sessions/:id; null when the clinic has not set one.
   */
  careTeamPhone: nullable(z.string()).optional(),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

/**
 * GET /api/sessions/:id/contacts (issue 12): who to call about a session, the patient's own phone
 * and the support person's, the latter as attested at this session's latest screening, else as
 * on the patient's record. Every read is audited (`session.contacts.read`), like any read of
 * patient data.
 */
export const sessionContactsSchema = z.strictObject({
  patient: z.strictObject({ name: z.string(), phone: nullable(z.string()) }),
  supportPerson: z.strictObject({
    name: nullable(z.string()),
    phone: nullable(z.string()),
    from: nullable(z.enum(['screening', 'record'])),
  }),
});
export type SessionContacts = z.infer<typeof sessionContactsSchema>;

export const sessionEventSchema = z.strictObject({
  sessionId: uuid,
  seq: z.number().int().min(1),
  type: z.enum(SESSION_EVENT_TYPES),
  at: dateTime,
  actorId: nullable(uuid),
  data: z.record(z.string(), z.unknown()),
});
export const sessionEventsResponseSchema = z.strictObject({
  events: z.array(sessionEventSchema),
  headSeq: z.number().int().min(0),
});
/**
 * Kept as an interface, on purpose: the code's SessionEvent is the discriminated union of
 * session-events.ts (each type's data parsed by SESSION_EVENT_DATA), while this schema documents
 * the envelope and types the data loosely, so the inferred type would be the weaker one.
 */
export interface SessionEventsResponse {
  events: SessionEvent[];
  headSeq: z.infer<typeof sessionEventsResponseSchema>['headSeq'];
}

export const submissionResultSchema = z.strictObject({
  seq: z.number().int().min(1),
  duplicate: z.boolean(),
});
export type SubmissionResult = z.infer<typeof submissionResultSchema>;
/** 201 for a new action, 200 for a recognised retry of the same clientId and body. */
export const sessionFlowResultSchema = submissionResultSchema.extend({
  state: z.enum(SESSION_STATES),
});
export const screeningResultSchema = sessionFlowResultSchema.extend({
  gate: z.strictObject({
    status: z.enum(['go', 'caution', 'no_go', 'incomplete']),
    reasons: z.array(z.strictObject({ code: z.string(), message: z.string() })),
    /** v1.1: after a no-go, the patient may measure again only from this time (the rest). */
    remeasureAfter: dateTime.optional(),
    /** v1.1: the session has had a no-go, so only the clinician clears the dose. */
    clinicianClearanceRequired: z.boolean().optional(),
  }),
});
export type SessionFlowResult = z.infer<typeof sessionFlowResultSchema>;
export type ScreeningResult = z.infer<typeof screeningResultSchema>;
export type PreDoseGateStatus = ScreeningResult['gate']['status'];
export type GateReason = ScreeningResult['gate']['reasons'][number];

export const healthResponseSchema = z.strictObject({
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['up', 'down']),
  version: z.string(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
export const liveResponseSchema = z.strictObject({ status: z.literal('ok') });
export type LiveResponse = z.infer<typeof liveResponseSchema>;
/** @nestjs/terminus' HealthCheckResult: each indicator's key with its status and details. */
const indicators = z.record(z.string(), z.looseObject({ status: z.string() }));
export const readyResponseSchema = z.strictObject({
  status: z.enum(['ok', 'error', 'shutting_down']),
  info: indicators.optional(),
  error: indicators.optional(),
  details: indicators,
});
export type ReadyResponse = z.infer<typeof readyResponseSchema>;

export const alertSummarySchema = z.strictObject({
  id: uuid,
  sessionId: uuid,
  condition: z.string(),
  priority: z.enum(ALERT_PRIORITIES),
  status: z.enum(ALERT_STATUSES),
  message: z.string(),
  raisedSeq: z.number().int().min(1),
  raisedAt: dateTime,
  updatedAt: dateTime,
  acknowledgedAt: nullable(dateTime),
  acknowledgedBy: nullable(uuid),
  resolvedAt: nullable(dateTime),
  resolvedBy: nullable(uuid),
  resolutionNote: nullable(z.string()),
  silencedUntil: nullable(dateTime),
  lastEscalatedAt: nullable(dateTime),
  escalationCount: z.number().int().min(0),
});
export type AlertSummary = z.infer<typeof alertSummarySchema>;

/** One bounded setting of a patient's protocol, with the override in force if any. */
export const overrideSettingSchema = z.strictObject({
  ...namedSetting,
  min: z.number(),
  max: z.number(),
  /** The protocol's own value. */
  default: z.number(),
  /** The value in force: the override's, or the default. */
  value: z.number(),
  override: nullable(
    z.strictObject({
      value: z.number(),
      reason: z.string(),
      by: uuid,
      byName: z.string(),
      at: dateTime,
    }),
  ),
});
export const patientOverridesSchema = z.strictObject({
  patientId: uuid,
  settings: z.array(overrideSettingSchema),
});
export type OverrideSetting = z.infer<typeof overrideSettingSchema>;
export type PatientOverrides = z.infer<typeof patientOverridesSchema>;

export const accountResponseSchema = z.strictObject({
  id: uuid,
  email: z.string(),
  name: z.string(),
  role: z.string(),
  active: z.boolean(),
  patientId: uuid.optional(),
});
export const assignmentResponseSchema = z.strictObject({
  id: uuid,
  clinicianId: uuid,
  patientId: uuid,
  validFrom: dateTime,
  validUntil: nullable(dateTime),
});
export type AccountResponse = z.infer<typeof accountResponseSchema>;
export type AssignmentResponse = z.infer<typeof assignmentResponseSchema>;
export const clearedLockoutsSchema = z.strictObject({ cleared: z.number().int().min(0) });

export const deviceSummarySchema = z.strictObject({
  id: uuid,
  patientId: uuid,
  kind: z.enum(DEVICE_KINDS),
  manufacturer: z.string(),
  model: z.string(),
  serial: z.string(),
  status: z.enum(['active', 'revoked']),
  /** The credential's public start (`vgd_<key id>_…`), to tell credentials apart; never the secret. */
  credentialHint: z.string(),
  pairedAt: dateTime,
  pairedBy: ref,
  rotatedAt: nullable(dateTime),
  revokedAt: nullable(dateTime),
  revokedBy: nullable(ref),
  revokeReason: nullable(z.string()),
  /** When the device last submitted a reading that was stored. */
  lastSeenAt: nullable(dateTime),
});
export type DeviceSummary = z.infer<typeof deviceSummarySchema>;
/** The answer to pairing and rotation: the only time the credential is ever shown. */
export const deviceCredentialResponseSchema = z.strictObject({
  device: deviceSummarySchema,
  credential: z.string(),
});
export type DeviceCredentialResponse = z.infer<typeof deviceCredentialResponseSchema>;
