import { z } from 'zod';
import { READING_KINDS, READING_RANGES, READING_SOURCES, SYMPTOM_CODES } from './domain';
import { BAD_TEXT_MESSAGE, isStorableText } from './text';

/**
 * Input validation shared by REST and the socket: the same schema names the same field in the
 * same words, whichever way a phone sends it. Unknown fields are refused (strict objects).
 */
export const clientIdSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9._:-]+$/, 'may contain only letters, digits and . _ : -');

/**
 * An ISO 8601 date-time PostgreSQL can store: the format alone lets year 0000 through, which
 * `timestamptz` refuses (a 500 instead of a 400).
 */
export const isoDateTime = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
  .refine((v) => Number(v.slice(0, 4)) >= 1, 'must be a date-time from year 0001 on');
const isoTime = isoDateTime;

/** Free text that PostgreSQL can store (see text.ts): the phone checks it as the server does. */
const storable = (schema: z.ZodString) => schema.refine(isStorableText, BAD_TEXT_MESSAGE);
/** A whole number in [min, max], refused in the same words on every route. */
export const intIn = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** Any finite number, refused in the same words on every route (ranges are added per field). */
export const finiteNumber = z
  .number({ error: 'must be a number' })
  .finite('must be a finite number');

/** One of a fixed list, refused in the same words on every route: the words name the list. */
export const oneOf = <const T extends readonly string[]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

/** A patient's own words beside a check-in or a call for help, as the phone sends them. */
const patientNote = storable(
  z.string({ error: 'must be a string' }).max(2000, 'must be at most 2000 characters'),
).optional();

export const checkInFields = {
  moaas: intIn(0, 5).optional(),
  dissociation: intIn(0, 10).optional(),
  nausea: intIn(0, 10).optional(),
  anxiety: intIn(0, 10).optional(),
  symptoms: z
    .array(oneOf(SYMPTOM_CODES))
    .max(SYMPTOM_CODES.length, 'lists too many symptoms')
    .optional(),
  note: patientNote,
  takenAt: isoTime.optional(),
};

const CHECKIN_KEYS = Object.keys(checkInFields);

export const checkInSubmissionSchema = z
  .strictObject({
    clientId: clientIdSchema,
    ...checkInFields,
    // v1.10: when this attempt left the phone, by the phone's clock (see `checkInMadeAt`). Not
    // part of the check-in: each retry sends its own, and the retry is still the same check-in.
    sentAt: isoTime.optional(),
  })
  .refine((v) => CHECKIN_KEYS.some((k) => (v as Record<string, unknown>)[k] !== undefined), {
    message: `must contain at least one of ${CHECKIN_KEYS.join(', ')}`,
    path: ['body'],
  });

export const readingSchema = z
  .strictObject({
    kind: oneOf(READING_KINDS),
    value: finiteNumber,
    measuredAt: isoTime,
    source: oneOf(READING_SOURCES).optional(),
  })
  .superRefine((reading, ctx) => {
    const range = READING_RANGES[reading.kind];
    if (reading.value < range.min || reading.value > range.max) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `${reading.kind} ${reading.value} is outside the plausible range ${range.min}-${range.max} ${range.unit}`,
      });
    }
  });

/** Readings one vitals submission may carry (also bounds what admission reads of one). */
export const MAX_READINGS_PER_SUBMISSION = 600;

export const vitalsSubmissionSchema = z.strictObject({
  clientId: clientIdSchema,
  readings: z
    .array(readingSchema, { error: 'must be an array of readings' })
    .min(1, 'must contain at least one reading')
    .max(
      MAX_READINGS_PER_SUBMISSION,
      `must contain at most ${MAX_READINGS_PER_SUBMISSION} readings`,
    ),
  // v1.14: when this attempt left the phone, by the phone's clock, as a check-in's (v1.10): with
  // each reading's measuredAt it tells how long that reading waited on the phone. Not part of the
  // readings: each retry sends its own, and the retry is still the same submission.
  sentAt: isoTime.optional(),
});

export const helpSubmissionSchema = z.strictObject({
  clientId: clientIdSchema,
  note: patientNote,
});

const text = (max: number) =>
  storable(
    z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(max, `must be at most ${max} characters`),
  );

/** A clinician's note on the session record (v1 addition). */
export const noteSubmissionSchema = z.strictObject({ clientId: clientIdSchema, text: text(4000) });

/** A message between the patient's phone and the care team (v1 addition). */
export const messageSubmissionSchema = z.strictObject({
  clientId: clientIdSchema,
  text: text(2000),
});

export const loginSchema = z.strictObject({
  email: storable(
    z.string({ error: 'must be a string' }).min(1, 'is required').max(320, 'is too long'),
  ),
  password: storable(
    z.string({ error: 'must be a string' }).min(1, 'is required').max(1024, 'is too long'),
  ),
});

export const refreshSchema = z.strictObject({
  refreshToken: z
    .string({ error: 'must be a string' })
    .min(1, 'is required')
    .max(512, 'is too long'),
});

/** Session ids are compared as text downstream (rooms, watches): one spelling, lower case. */
export const sessionIdSchema = z
  .uuid({ error: 'must be a session id (UUID)' })
  .overwrite((id) => id.toLowerCase());

/** Request bodies, typed by the schemas that validate them (one definition, not two). */
export type Reading = z.infer<typeof readingSchema>;
export type CheckIn = z.infer<z.ZodObject<typeof checkInFields>>;
export type CheckInSubmission = z.infer<typeof checkInSubmissionSchema>;
export type VitalsSubmission = z.infer<typeof vitalsSubmissionSchema>;
export type HelpSubmission = z.infer<typeof helpSubmissionSchema>;
export type NoteSubmission = z.infer<typeof noteSubmissionSchema>;
export type MessageSubmission = z.infer<typeof messageSubmissionSchema>;
export type LoginRequest = z.infer<typeof loginSchema>;
export type RefreshRequest = z.infer<typeof refreshSchema>;

/** Turns validation issues into one message that names each offending field. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('');
      const field = `${prefix}${path}`.replace(/^\./, '') || 'body';
      if (issue.code === 'unrecognized_keys') {
        return `${issue.keys.map((k) => (field === 'body' ? k : `${field}.${k}`)).join(', ')}: unknown field`;
      }
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}
