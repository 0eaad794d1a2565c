/**
 * The supervisor's answers (history, figures, REMS report, audit log) and the FHIR ones, as zod
 * schemas with the types inferred from them, as responses.ts does for the rest.
 */
import { z } from 'zod';
import {
  dateTime,
  nullable,
  priorityCounts,
  ref,
  uuid,
  type Expect,
  type Out,
  type Same,
} from './response-primitives';
import { ALERT_PRIORITIES, SESSION_STATES } from './domain';
import { accountResponseSchema, sessionSummarySchema } from './responses';
import { AUDIT_BREAK_REASONS, SESSION_OUTCOMES, type Page } from './supervisor';

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
  /** Alerts raised in the session, by their (highest) priority. */
  alerts: priorityCounts,
  escalations: z.number().int().min(0),
  monitoringMinutes: nullable(z.number()),
});
export const sessionHistoryPageSchema = pageSchema(sessionHistoryItemSchema);
export type SessionHistoryItem = z.infer<typeof sessionHistoryItemSchema>;

const responseFigure = {
  alerts: z.number().int(),
  acknowledged: z.number().int(),
  /** Seconds from raised to acknowledged; null when nothing was acknowledged. */
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
export type AlertFigures = z.infer<typeof alertFiguresSchema>;
export type ResponseFigure = AlertFigures['totals'];

const bpAt = {
  sbp: nullable(z.number()),
  dbp: nullable(z.number()),
  at: dateTime,
  minutesAfterDose: nullable(z.number()),
  source: z.enum(['screening', 'vitals']),
};
/** The SPRAVATO REMS Patient Monitoring Form's content for one session. */
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
    /** The BP closest to the protocol's peak check time (45 min after an oral dose). */
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
  /** Who aborted the session and when (CLINICAL.md: "with who, when and why"); null if it was not. */
  aborted: nullable(
    z.strictObject({ by: nullable(uuid), byName: nullable(z.string()), at: dateTime }),
  ),
  generatedAt: dateTime,
});
export type RemsReport = z.infer<typeof remsReportSchema>;
export type BpAt = NonNullable<RemsReport['bloodPressure']['beforeDosing']>;

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
export type AuditLogEntry = z.infer<typeof auditLogEntrySchema>;

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
export type AuditVerifyResult = z.infer<typeof auditVerifyResultSchema>;

/** The account as the admin routes answer it, with its history; patientId is null, not absent. */
export const accountWithHistorySchema = z.strictObject({
  ...accountResponseSchema.omit({ patientId: true }).shape,
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
export type AccountWithHistory = z.infer<typeof accountWithHistorySchema>;

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

/**
 * Page<T> stays a generic interface (supervisor.ts): a type parameter cannot be inferred from the
 * pageSchema factory, so these compile-time checks keep the two in step.
 */
export type PageSchemasMatchPage = [
  Expect<Same<Out<typeof sessionHistoryPageSchema>, Page<SessionHistoryItem>>>,
  Expect<Same<Out<typeof auditLogPageSchema>, Page<AuditLogEntry>>>,
];
