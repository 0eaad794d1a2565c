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
  AUDIT_BREAK_REASONS,
  SESSION_OUTCOMES,
  type AccountWithHistory,
  type AlertFigures,
  type AuditLogEntry,
  type AuditVerifyResult,
  type Page,
  type RemsReport,
  type SessionHistoryItem,
} from './supervisor';

/**
 * What every REST route answers, as zod schemas: the OpenAPI description at /api/docs is made
 * from them (z.toJSONSchema) and an e2e test validates real answers against that description.
 * Objects are strict, so a field a route sends but the contract does not name fails the test
 * (a leaked column is found, not documented by accident). The TypeScript interfaces stay the
 * types the code uses; the checks at the end fail to compile when a schema and its interface
 * drift apart.
 */

const dateTime = z.iso.datetime();
const uuid = z.uuid();
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
const ref = z.strictObject({ id: uuid, name: z.string() });
const priorityCounts = z.strictObject({
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  info: z.number().int(),
});

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

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    items: z.array(item),
    total: z.number().int().min(0),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
  });

export const sessionHistoryItemSchema = sessionSummarySchema.extend({
  createdAt: dateTime,
  outcome: z.enum(SESSION_OUTCOMES),
  alerts: priorityCounts,
  escalations: z.number().int().min(0),
  monitoringMinutes: nullable(z.number()),
});
export const sessionHistoryPageSchema = pageSchema(sessionHistoryItemSchema);

const responseFigure = {
  alerts: z.number().int(),
  acknowledged: z.number().int(),
  ackP50Seconds: nullable(z.number()),
  ackP90Seconds: nullable(z.number()),
  escalatedAlerts: z.number().int(),
  escalations: z.number().int(),
};
export const alertFiguresSchema = z.strictObject({
  from: dateTime,
  to: dateTime,
  sessions: z.number().int(),
  sessionHours: z.number(),
  totals: z.strictObject(responseFigure),
  byClinician: z.array(
    z.strictObject({ ...responseFigure, clinicianId: uuid, clinicianName: z.string() }),
  ),
  byPriority: z.array(z.strictObject({ ...responseFigure, priority: z.enum(ALERT_PRIORITIES) })),
  byCondition: z.array(
    z.strictObject({
      condition: z.string(),
      alerts: z.number().int(),
      perSessionHour: nullable(z.number()),
    }),
  ),
});

const bpAt = {
  sbp: nullable(z.number()),
  dbp: nullable(z.number()),
  at: dateTime,
  minutesAfterDose: nullable(z.number()),
  source: z.enum(['screening', 'vitals']),
};
export const remsReportSchema = z.strictObject({
  session: z.strictObject({
    id: uuid,
    patient: ref,
    clinician: ref,
    protocol: z.strictObject({ name: z.string(), version: z.number().int() }),
    state: z.enum(SESSION_STATES),
    outcome: z.enum(SESSION_OUTCOMES),
    scheduledFor: nullable(dateTime),
    dosedAt: nullable(dateTime),
    endedAt: nullable(dateTime),
  }),
  dose: nullable(
    z.strictObject({
      mg: z.number(),
      route: z.string(),
      takenAt: dateTime,
      lot: nullable(z.string()),
    }),
  ),
  bloodPressure: z.strictObject({
    beforeDosing: nullable(z.strictObject(bpAt)),
    atPeakCheck: nullable(z.strictObject({ ...bpAt, targetMinutes: z.number() })),
    beforeEnd: nullable(z.strictObject(bpAt)),
  }),
  sedation: z.strictObject({
    occurred: z.boolean(),
    baselineMoaas: nullable(z.number()),
    lowestMoaas: nullable(z.number()),
  }),
  dissociation: z.strictObject({ occurred: z.boolean(), highestScore: nullable(z.number()) }),
  respiratoryDepression: z.strictObject({
    occurred: z.boolean(),
    lowestSpo2: nullable(z.number()),
    lowestRespRate: nullable(z.number()),
    limits: z.strictObject({ spo2: z.number(), respRate: z.number() }),
  }),
  totalMonitoringMinutes: nullable(z.number()),
  readyToLeaveMinutes: nullable(z.number()),
  concomitantMedicines: z.strictObject({
    bpRaising: nullable(z.boolean()),
    flags: z.array(z.string()),
  }),
  overrides: z.array(
    z.strictObject({
      gate: z.string(),
      reason: z.string(),
      by: nullable(uuid),
      byName: nullable(z.string()),
      at: dateTime,
    }),
  ),
  alerts: priorityCounts,
  abortReason: nullable(z.string()),
  generatedAt: dateTime,
});

const auditOutcome = z.enum(['success', 'denied', 'error']);
export const auditLogEntrySchema = z.strictObject({
  seq: z.number().int().min(1),
  at: dateTime,
  actor: nullable(
    z.strictObject({ id: uuid, role: nullable(z.string()), name: nullable(z.string()) }),
  ),
  action: z.string(),
  entityType: z.string(),
  entityId: nullable(z.string()),
  patientId: nullable(uuid),
  outcome: auditOutcome,
  sourceIp: nullable(z.string()),
  detail: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export const auditLogPageSchema = pageSchema(auditLogEntrySchema);

export const auditVerifyResultSchema = z.strictObject({
  ok: z.boolean(),
  checkedRows: z.number().int().min(0),
  headSeq: nullable(z.number().int()),
  headHash: nullable(z.string()),
  firstBroken: nullable(
    z.strictObject({
      seq: nullable(z.number().int()),
      id: nullable(z.string()),
      reason: z.enum(AUDIT_BREAK_REASONS),
      message: z.string(),
    }),
  ),
  verifiedAt: dateTime,
  durationMs: z.number().min(0),
});

export const accountWithHistorySchema = z.strictObject({
  id: uuid,
  email: z.string(),
  name: z.string(),
  role: z.string(),
  active: z.boolean(),
  createdAt: dateTime,
  deactivatedAt: nullable(dateTime),
  patientId: nullable(uuid),
  assignments: z.array(
    z.strictObject({
      id: uuid,
      clinicianId: uuid,
      patientId: uuid,
      otherName: z.string(),
      validFrom: dateTime,
      validUntil: nullable(dateTime),
    }),
  ),
});

/**
 * FHIR R4 answers are described only down to their resource type here: their full structure is
 * HL7's, and the tests validate them against the R4 definitions (@medplum/core).
 */
const fhirResource = (resourceType: string) =>
  z.looseObject({ resourceType: z.literal(resourceType), id: z.string().optional() });
export const fhirBundleSchema = fhirResource('Bundle').extend({
  type: z.string(),
  entry: z.array(z.looseObject({})).optional(),
});
export const fhirObservationSchema = fhirResource('Observation');
export const fhirOperationOutcomeSchema = fhirResource('OperationOutcome').extend({
  issue: z.array(z.looseObject({ severity: z.string(), code: z.string() })).min(1),
});

/** Compile-time only: each schema's output is exactly the interface the code uses. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;
type Out<S extends z.ZodType> = z.output<S>;
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
  Expect<Same<Out<typeof sessionHistoryPageSchema>, Page<SessionHistoryItem>>>,
  Expect<Same<Out<typeof alertFiguresSchema>, AlertFigures>>,
  Expect<Same<Out<typeof remsReportSchema>, RemsReport>>,
  Expect<Same<Out<typeof auditLogPageSchema>, Page<AuditLogEntry>>>,
  Expect<Same<Out<typeof auditVerifyResultSchema>, AuditVerifyResult>>,
  Expect<Same<Out<typeof accountWithHistorySchema>, AccountWithHistory>>,
];
