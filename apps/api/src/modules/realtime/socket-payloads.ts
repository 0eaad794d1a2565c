import {
  checkInSubmissionSchema,
  describeIssues,
  helpSubmissionSchema,
  sessionIdSchema,
  vitalsSubmissionSchema,
  WATCH_MANY_LIMIT,
  type AckError,
  type SocketErrorCode,
} from '@vigil/contracts';
import { HttpException, HttpStatus } from '@nestjs/common';
import { z } from 'zod';

export function ackError(code: SocketErrorCode, message: string): AckError {
  return { ok: false, error: { code, message } };
}

/** The socket's code for each refusal a service throws (the HTTP filter gives REST the status). */
const CODE_OF_STATUS: Partial<Record<number, SocketErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'invalid',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.CONFLICT]: 'conflict',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'unavailable',
};

/** A service's refusal as the ack says it, same message; null for anything else (a bug). */
export function refusalAck(err: unknown): AckError | null {
  if (!(err instanceof HttpException)) return null;
  const code = CODE_OF_STATUS[err.getStatus()];
  return code ? ackError(code, err.message) : null;
}

const watchSchema = z.strictObject({
  sessionId: sessionIdSchema,
  afterSeq: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be at least 0')
    .max(Number.MAX_SAFE_INTEGER, 'is too large'),
});

const watchManySchema = z.strictObject({
  sessions: z
    .array(watchSchema, { error: 'must be an array' })
    .min(1, 'must name at least one session')
    .max(WATCH_MANY_LIMIT, `must name at most ${WATCH_MANY_LIMIT} sessions`)
    .refine((list) => new Set(list.map((w) => w.sessionId)).size === list.length, {
      message: 'must not name a session twice',
    }),
});

const sessionOnlySchema = z.strictObject({ sessionId: sessionIdSchema });

type Parsed<T> = { ok: true; value: T } | AckError;

function parse<S extends z.ZodType>(schema: S, payload: unknown): Parsed<z.infer<S>> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return ackError('invalid', 'payload: must be an object');
  }
  const result = schema.safeParse(payload);
  return result.success
    ? { ok: true, value: result.data }
    : ackError('invalid', describeIssues(result.error));
}

/** A submission over the socket is the REST body plus `sessionId`: validated by the same schema. */
function submission<S extends z.ZodType>(schema: S) {
  return (payload: unknown): Parsed<{ sessionId: string; body: z.infer<S> }> => {
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      return ackError('invalid', 'payload: must be an object');
    }
    const { sessionId, ...body } = payload as Record<string, unknown>;
    const id = sessionIdSchema.safeParse(sessionId);
    if (!id.success) return ackError('invalid', describeIssues(id.error, 'sessionId'));
    const parsed = schema.safeParse(body);
    if (!parsed.success) return ackError('invalid', describeIssues(parsed.error));
    return { ok: true, value: { sessionId: id.data, body: parsed.data } };
  };
}

export const parseCheckIn = submission(checkInSubmissionSchema);
export const parseVitals = submission(vitalsSubmissionSchema);
export const parseHelp = submission(helpSubmissionSchema);
export const parseWatch = (payload: unknown) => parse(watchSchema, payload);
export const parseWatchMany = (payload: unknown) => parse(watchManySchema, payload);
export const parseSessionOnly = (payload: unknown) => parse(sessionOnlySchema, payload);
