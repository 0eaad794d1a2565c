import { z } from 'zod';
import type { AccountResponse, AssignmentResponse } from './admin';
import { DEVICE_KINDS, type DeviceCredentialResponse, type DeviceSummary } from './devices';
import {
  ALERT_PRIORITIES,
  ALERT_STATUSES,
  ROLES,
  SESSION_EVENT_TYPES,
  SESSION_STATES,
} from './domain';
import type {
  ErrorBody,
  HealthResponse,
  LoginResponse,
  SessionEventsResponse,
  SessionContacts,
  SessionSummary,
  SubmissionResult,
  TokenPair,
} from './rest';
import type {
  AlertSummary,
  OverrideSetting,
  PatientOverrides,
  ScreeningResult,
  SessionFlowResult,
} from './session-flow';

import {
  dateTime,
  nullable,
  ref,
  uuid,
  type Expect,
  type Out,
  type Same,
} from './response-primitives';

/**
 * What every REST route answers, as zod schemas: the OpenAPI description at /api/docs is made
 * from them (z.toJSONSchema) and an e2e test validates real answers against that description.
 * Objects are strict, so a field a route sends but the contract does not name fails the test
 * (a leaked column is found, not documented by accident). The TypeScript interfaces stay the
 * types the code uses; the checks at the end fail to compile when a schema and its interface
 * drift apart.
 */

export const errorBodySchema = z.strictObject({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
});

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

export const overrideInForceSchema = z.strictObject({
  setting: z.string(),
  label: z.string(),
  unit: z.string(),
  value: z.number(),
  default: z.number(),
});

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
  overrides: z.array(overrideInForceSchema).optional(),
  careTeamPhone: nullable(z.string()).optional(),
});

/** GET /api/sessions/:id/contacts (issue 12): who to call, each read audited. */
export const sessionContactsSchema = z.strictObject({
  patient: z.strictObject({ name: z.string(), phone: nullable(z.string()) }),
  supportPerson: z.strictObject({
    name: nullable(z.string()),
    phone: nullable(z.string()),
    from: nullable(z.enum(['screening', 'record'])),
  }),
});

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

export const submissionResultSchema = z.strictObject({
  seq: z.number().int().min(1),
  duplicate: z.boolean(),
});
export const sessionFlowResultSchema = submissionResultSchema.extend({
  state: z.enum(SESSION_STATES),
});
export const screeningResultSchema = sessionFlowResultSchema.extend({
  gate: z.strictObject({
    status: z.enum(['go', 'caution', 'no_go', 'incomplete']),
    reasons: z.array(z.strictObject({ code: z.string(), message: z.string() })),
    remeasureAfter: dateTime.optional(),
    clinicianClearanceRequired: z.boolean().optional(),
  }),
});

export const healthResponseSchema = z.strictObject({
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['up', 'down']),
  version: z.string(),
});
export const liveResponseSchema = z.strictObject({ status: z.literal('ok') });
/** @nestjs/terminus' HealthCheckResult: each indicator's key with its status and details. */
const indicators = z.record(z.string(), z.looseObject({ status: z.string() }));
export const readyResponseSchema = z.strictObject({
  status: z.enum(['ok', 'error', 'shutting_down']),
  info: indicators.optional(),
  error: indicators.optional(),
  details: indicators,
});

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

export const overrideSettingSchema = z.strictObject({
  setting: z.string(),
  label: z.string(),
  unit: z.string(),
  min: z.number(),
  max: z.number(),
  default: z.number(),
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
export const clearedLockoutsSchema = z.strictObject({ cleared: z.number().int().min(0) });

export const deviceSummarySchema = z.strictObject({
  id: uuid,
  patientId: uuid,
  kind: z.enum(DEVICE_KINDS),
  manufacturer: z.string(),
  model: z.string(),
  serial: z.string(),
  status: z.enum(['active', 'revoked']),
  credentialHint: z.string(),
  pairedAt: dateTime,
  pairedBy: ref,
  rotatedAt: nullable(dateTime),
  revokedAt: nullable(dateTime),
  revokedBy: nullable(ref),
  revokeReason: nullable(z.string()),
  lastSeenAt: nullable(dateTime),
});
export const deviceCredentialResponseSchema = z.strictObject({
  device: deviceSummarySchema,
  credential: z.string(),
});

/** Compile-time only: each schema's output is exactly the interface the code uses. */
export type ResponseSchemasMatchInterfaces = [
  Expect<Same<Out<typeof errorBodySchema>, ErrorBody>>,
  Expect<Same<Out<typeof tokenPairSchema>, TokenPair>>,
  Expect<Same<Out<typeof loginResponseSchema>, LoginResponse>>,
  Expect<Same<Out<typeof sessionSummarySchema>, SessionSummary>>,
  Expect<Same<Out<typeof sessionContactsSchema>, SessionContacts>>,
  // SessionEvent is the union of session-events.ts (its data parsed by SESSION_EVENT_DATA, one
  // schema per type); this schema documents the envelope and types the data loosely.
  Expect<
    Same<Out<typeof sessionEventsResponseSchema>['headSeq'], SessionEventsResponse['headSeq']>
  >,
  Expect<Same<Out<typeof submissionResultSchema>, SubmissionResult>>,
  Expect<Same<Out<typeof sessionFlowResultSchema>, SessionFlowResult>>,
  Expect<Same<Out<typeof screeningResultSchema>, ScreeningResult>>,
  Expect<Same<Out<typeof healthResponseSchema>, HealthResponse>>,
  Expect<Same<Out<typeof alertSummarySchema>, AlertSummary>>,
  Expect<Same<Out<typeof overrideSettingSchema>, OverrideSetting>>,
  Expect<Same<Out<typeof patientOverridesSchema>, PatientOverrides>>,
  Expect<Same<Out<typeof accountResponseSchema>, AccountResponse>>,
  Expect<Same<Out<typeof assignmentResponseSchema>, AssignmentResponse>>,
  Expect<Same<Out<typeof deviceSummarySchema>, DeviceSummary>>,
  Expect<Same<Out<typeof deviceCredentialResponseSchema>, DeviceCredentialResponse>>,
];
