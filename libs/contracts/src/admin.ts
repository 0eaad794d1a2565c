import { z } from 'zod';
import { intIn, isoDateTime } from './schemas';

/** Supervisor administration: accounts, assignments, scheduling (contract v1 additions). */
const email = z.email({ error: 'must be an email address' }).max(320, 'is too long');
const name = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'is required')
  .max(200, 'is too long');
// Length here (what a form can check); the server adds its common-password policy.
const password = z
  .string({ error: 'must be a string' })
  .min(12, 'must be at least 12 characters')
  .max(1024, 'is too long');
const uuid = z.uuid({ error: 'must be a UUID' });
const isoTime = isoDateTime;

export const createClinicianSchema = z.strictObject({
  email,
  name,
  password,
  role: z
    .enum(['clinician', 'supervisor'], { error: 'must be clinician or supervisor' })
    .default('clinician'),
});

export const createPatientSchema = z.strictObject({
  email,
  name,
  password,
  dateOfBirth: z.iso
    .date({ error: 'must be a date (YYYY-MM-DD)' })
    .refine((v) => Number(v.slice(0, 4)) >= 1, 'must be a date from year 0001 on')
    .optional(),
  baselineSbp: intIn(50, 300).optional(),
  baselineDbp: intIn(20, 200).optional(),
  baselineHr: intIn(20, 250).optional(),
  supportName: z.string().max(200, 'is too long').optional(),
  supportPhone: z.string().max(40, 'is too long').optional(),
  notes: z.string().max(4000, 'is too long').optional(),
});

export const assignSchema = z.strictObject({
  clinicianId: uuid,
  patientId: uuid,
  validFrom: isoTime.optional(),
});

export const scheduleSessionSchema = z.strictObject({
  patientId: uuid,
  clinicianId: uuid,
  scheduledFor: isoTime,
  protocolId: uuid.optional(),
});

export type CreateClinicianRequest = z.infer<typeof createClinicianSchema>;
export type CreatePatientRequest = z.infer<typeof createPatientSchema>;
export type AssignRequest = z.infer<typeof assignSchema>;
export type ScheduleSessionRequest = z.infer<typeof scheduleSessionSchema>;
