import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import {
  checkInSubmissionSchema,
  describeIssues,
  findUnstorable,
  helpSubmissionSchema,
  sessionIdSchema,
  vitalsSubmissionSchema,
  WATCH_MANY_LIMIT,
  WATCH_READINGS,
  type AckError,
  type SocketErrorCode,
} from '@vigil/contracts';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { RequestContext } from '../../common/request-context';
import { auditFrom } from '../audit/audit.service';
import { DenialAudit } from '../audit/denial-audit';
import { Admission, type AdmissionClass } from '../events/admission';
import { InFlight } from '../events/in-flight';
import { BUSY_MESSAGE } from '../events/submission-queue';
import { SHUTDOWN_MESSAGE, ShutdownState } from '../../common/shutdown-state';
import {
  DATABASE_UNAVAILABLE_MESSAGE,
  isDatabaseUnreachable,
} from '../../common/database-unreachable';
import type { LiveSocket } from './live-handshake';
import { RateLimits } from './rate-limiter';

/*
 * What every message on `/live` goes through before its handler's service, and how its answer
 * goes back: the socket's counterpart of REST's throttler, validation pipe and exception filter.
 * The gateway's handlers name the parser and the service call; this file does the rest.
 */

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
  readings: z
    .enum(WATCH_READINGS, { error: `must be one of ${WATCH_READINGS.join(', ')}` })
    .optional(),
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

export type Parsed<T> = { ok: true; value: T } | AckError;

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

/** Who the socket's messages act for, as the services take it. */
export function contextOf(socket: LiveSocket): RequestContext {
  return { user: socket.data.user, ip: socket.data.ip, userAgent: socket.data.userAgent };
}

/** The session a message is about, for its rate limit (validated later, by its parser). */
function sessionIdOf(payload: unknown): string | null {
  const id = (payload as { sessionId?: unknown } | null)?.sessionId;
  return typeof id === 'string' ? id.slice(0, 64).toLowerCase() : null;
}

/** A handler's work once its payload parsed: its answer, or null when it answered through `reply`. */
export type Run<V, T> = (value: V, reply: (answer: T) => void) => Promise<T | null>;

@Injectable()
export class LiveInbound {
  // The log lines keep the gateway's name they always had (alerts and greps look for them).
  private readonly logger = new Logger('LiveGateway');
  private readonly limits: RateLimits;
  /** Messages taken and not yet answered: the shutdown answers them before the engine stops. */
  private readonly inFlight = new InFlight();

  constructor(
    private readonly admission: Admission,
    private readonly denials: DenialAudit,
    private readonly shutdown: ShutdownState,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limits = new RateLimits({
      perSecond: config.SOCKET_RATE_LIMIT_PER_SECOND,
      burst: config.SOCKET_RATE_LIMIT_BURST,
      userFactor: 5,
      maxStrikes: 50,
    });
  }

  /**
   * Rate limit, admit, check the text, wait for the handshake's verdict, parse, run, answer. A
   * submission (`kind` set) is admitted or refused `unavailable` before anything is done for it
   * (Admission). A payload that does not parse is answered `invalid`, naming the field. A refusal
   * a service throws (an HttpException) is answered with its code and message (`refusalAck`);
   * anything else thrown becomes an `internal` ack (`unavailable` once the instance is shutting
   * down): the socket and the process survive.
   */
  handle<V, T extends { ok: boolean }>(
    socket: LiveSocket,
    payload: unknown,
    ack: ((answer: T) => void) | undefined,
    kind: AdmissionClass | null,
    parse: (payload: unknown) => Parsed<V>,
    run: Run<V, T>,
  ): void {
    let answered = false;
    const reply = (value: T | AckError) => {
      if (answered) return;
      answered = true;
      // Every ack type of the contract is its success shape or AckError.
      if (typeof ack === 'function') ack(value as T);
    };
    // Past the drain nothing new starts: the alert engine stops soon after, and would not
    // evaluate what this took (stopServing). The phone's outbox sends it again.
    if (this.shutdown.refusing) {
      reply(ackError('unavailable', SHUTDOWN_MESSAGE));
      return;
    }
    // A device is limited like an account of its own.
    const device = socket.data.device;
    const limited = device ? `device:${device.id}` : socket.data.user.id;
    const verdict = this.limits.take(limited, sessionIdOf(payload), Date.now());
    if (verdict !== 'ok') {
      reply(ackError('rate_limited', 'too many messages: slow down'));
      socket.emit('rate_limited', { message: 'too many messages from this account' });
      if (verdict === 'abusive') this.disconnectFlood(socket, limited);
      return;
    }
    // Before admission takes a place that only the promise chain below gives back. 'invalid' is
    // final for the phone's outbox: a retry of the same bytes cannot succeed.
    const bad = findUnstorable(payload);
    if (bad !== null) {
      reply(ackError('invalid', `${bad.field}: ${bad.message}`));
      return;
    }
    const release = kind === null ? () => undefined : this.admission.admit(kind);
    if (release === null) {
      reply(ackError('unavailable', BUSY_MESSAGE));
      return;
    }
    const work = socket.data.verified
      .then((ok): Promise<T | AckError | null> | AckError | null => {
        if (!ok) return null;
        const parsed = parse(payload);
        return parsed.ok ? run(parsed.value, reply) : parsed;
      })
      .then((value) => {
        if (value !== null) reply(value);
      })
      .catch((err: Error) => {
        // A service's refusal (404, 409, a busy 503 ...) is an answer, not a fault.
        const refusal = refusalAck(err);
        if (refusal) {
          reply(refusal);
          return;
        }
        // Once the instance is stopping, a failure is most likely the closing database pool (as
        // over REST: HttpExceptionFilter): `unavailable` has the phone's outbox send it again, to
        // another instance, instead of reporting a fault.
        if (this.shutdown.draining) {
          this.logger.warn(`while shutting down: handler failed: ${err.message}`);
          reply(ackError('unavailable', SHUTDOWN_MESSAGE));
          return;
        }
        if (isDatabaseUnreachable(err)) {
          this.logger.warn(`database unreachable: ${err.message}`);
          reply(ackError('unavailable', DATABASE_UNAVAILABLE_MESSAGE));
          return;
        }
        this.logger.error(`handler failed: ${err.message}`);
        reply(ackError('internal', 'internal error; retry with the same clientId'));
      })
      .finally(release);
    void this.inFlight.track(work);
  }

  /** Resolves once every message taken so far has been answered (the shutdown waits on it). */
  settled(): Promise<void> {
    return this.inFlight.settled();
  }

  private disconnectFlood(socket: LiveSocket, limited: string): void {
    this.logger.warn(`disconnecting flooding socket of user ${limited}`);
    const device = socket.data.device;
    const ctx = contextOf(socket);
    this.denials.record(
      auditFrom(device ? { ...ctx, user: { id: device.id, role: 'device' } } : ctx, {
        action: 'live.flood_disconnect',
        entityType: device ? 'device' : 'user',
        entityId: device?.id ?? limited,
        patientId: device?.patientId ?? null,
        outcome: 'denied',
        detail: { reason: 'rate_limit' },
      }),
    );
    socket.disconnect(true);
  }
}
