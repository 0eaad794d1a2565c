import { Controller, Get, Logger, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { Response } from 'express';
import {
  type HealthResponse,
  healthResponseSchema,
  type LiveResponse,
  liveResponseSchema,
  type ReadyResponse,
  readyResponseSchema,
} from '@vigil/contracts';
import { ClinicalWatchdogService } from '../alerts/clinical-watchdog.service';
import { Public } from '../auth/public.decorator';
import { DatabaseProbe } from './database-probe';
import { RedisProbe } from './redis-probe';
import { ShutdownState } from '../../common/shutdown-state';
import { ApiReturns } from '../../common/api-responses';
import { NoRateLimit } from '../rate-limit/rest-limits';

const VERSION = '0.1.0';
/** The watchdog ticks every 2 s; five missed ticks mean time-driven alerts have stopped. */
export const WATCHDOG_STALE_MS = 10_000;
const PROBE_TIMEOUT_MS = 3000;
/**
 * Redis only informs readiness (see `ready`): it must not make the answer late, or a proxy's own
 * timeout (often 1 s) would read a stalled Redis as not ready after all.
 */
const REDIS_INFO_TIMEOUT_MS = 500;

type Indicator = HealthIndicatorResult[string];

/** Terminus types `info` and `error` as partial records (a key may hold undefined, which JSON
 * never carries); the contract's records hold an indicator under every key. */
function indicators(result: Partial<HealthIndicatorResult> | undefined) {
  if (!result) return undefined;
  return Object.fromEntries(
    Object.entries(result).filter((entry): entry is [string, Indicator] => entry[1] !== undefined),
  );
}

/** Terminus' result in the contract's shape (the same keys in the same order). */
function readyResponse(result: HealthCheckResult): ReadyResponse {
  const { status, info, error, details } = result;
  return { status, info: indicators(info), error: indicators(error), details };
}

/**
 * Adds indicators that are reported but do not decide readiness: in `details` always, in `info`
 * when up; never in `error`, which lists what made the instance not ready.
 */
function withInformational(response: ReadyResponse, extra: HealthIndicatorResult): ReadyResponse {
  const reported = indicators(extra) ?? {};
  if (Object.keys(reported).length === 0) return response;
  return {
    ...response,
    info: {
      ...response.info,
      ...Object.fromEntries(Object.entries(reported).filter(([, v]) => v.status === 'up')),
    },
    details: { ...response.details, ...reported },
  };
}

@ApiTags('health')
@NoRateLimit()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');
  /** Per probe, the failure last logged: one line per kind of failure, not one per probe. */
  private readonly lastFailure = new Map<string, string>();

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly database: DatabaseProbe,
    private readonly redis: RedisProbe,
    private readonly watchdog: ClinicalWatchdogService,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Contract v1: 200 when the database answers within 2 s, 503 otherwise. */
  @Public()
  @Get()
  @ApiReturns([200, 503], healthResponseSchema)
  async legacy(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const up = await this.database.isUp();
    res.status(up ? 200 : 503);
    return { status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down', version: VERSION };
  }

  /** Liveness: the process serves HTTP. Restart it only when this fails, never for a dependency. */
  @Public()
  @Get('live')
  @ApiReturns(200, liveResponseSchema)
  live(): LiveResponse {
    return { status: 'ok' };
  }

  /**
   * Readiness: send this instance work only while the database answers, the clinical watchdog
   * ticks, and the process is not shutting down. Redis (when configured) is reported in `details`
   * but does not decide: every instance shares it, so a Redis outage failing readiness took every
   * instance out of rotation, a whole outage for what is a delay (without it events from other
   * instances arrive by the head sweep, within seconds; `cross-instance-faults` e2e). Alert on
   * `vigil_cross_instance_degraded` instead.
   */
  @Public()
  @Get('ready')
  @ApiReturns([200, 503], readyResponseSchema)
  @HealthCheck()
  // The answer is typed by the contract's schema, not terminus' result type: a terminus result
  // the documented schema does not describe fails the typecheck here.
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadyResponse> {
    const redis = this.redis.configured
      ? this.probe('redis', () => this.redis.ping(), REDIS_INFO_TIMEOUT_MS)
      : null;
    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.shutdownIndicator(),
        () => this.probe('database', () => this.database.ping()),
        () => this.watchdogIndicator(),
      ]);
    } catch (err) {
      // Terminus answers 503 with the details; keep them rather than the generic error body.
      if (!(err instanceof ServiceUnavailableException)) throw err;
      res.status(503);
      result = err.getResponse() as HealthCheckResult;
    }
    return withInformational(readyResponse(result), redis ? await redis : {});
  }

  /**
   * Up when `ping` resolves within the timeout, down otherwise. Readiness is public (the proxy
   * routes it, no login): the reason, which may name the database's host, port and user, goes to
   * the log, and the answer says only `unavailable`.
   */
  private async probe<K extends string>(
    key: K,
    ping: () => Promise<void>,
    timeoutMs = PROBE_TIMEOUT_MS,
  ) {
    const check = this.indicator.check(key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([ping(), timeout]);
      this.lastFailure.delete(key);
      return check.up();
    } catch (err) {
      const reason = (err as Error).message;
      if (this.lastFailure.get(key) !== reason) this.logger.warn(`${key}: ${reason}`);
      this.lastFailure.set(key, reason);
      return check.down({ message: 'unavailable' });
    } finally {
      clearTimeout(timer);
    }
  }

  private shutdownIndicator() {
    const check = this.indicator.check('shutdown');
    return this.shutdown.draining ? check.down({ message: 'draining' }) : check.up();
  }

  private watchdogIndicator() {
    const check = this.indicator.check('watchdog');
    const last = this.watchdog.lastSuccessfulTickAt;
    const ageMs = last ? Date.now() - last.getTime() : null;
    const data = { lastTickAt: last?.toISOString() ?? null, ageMs };
    return ageMs !== null && ageMs <= WATCHDOG_STALE_MS ? check.up(data) : check.down(data);
  }
}
