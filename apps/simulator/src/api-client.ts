import type { LoginResponse } from '@vigil/contracts';
import { sleep, type Logger } from './sim-log';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  message?: string | string[];
}

function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
      exp?: number;
    };
    return (payload.exp ?? 0) * 1000;
  } catch {
    return 0;
  }
}

/**
 * One account's REST session, as a phone keeps it: logs in, refreshes the access token before it
 * expires (the socket is cut when its token expires), logs in again when the refresh token is
 * dead, and waits out the login rate limit instead of failing.
 */
export class ApiClient {
  user: LoginResponse['user'] | null = null;
  private accessToken = '';
  private refreshToken = '';
  private expiresAt = 0;
  private renewing: Promise<void> | null = null;

  constructor(
    readonly baseUrl: string,
    readonly email: string,
    private readonly password: string,
    private readonly log: Logger,
    private readonly stopped: () => boolean = () => false,
  ) {}

  /** A valid access token, renewed when under a minute (or a fifth of its life) is left. */
  async token(): Promise<string> {
    const margin = Math.min(60_000, (this.expiresAt - Date.now()) / 5);
    if (!this.accessToken || Date.now() > this.expiresAt - Math.max(margin, 5_000)) {
      await this.renew();
    }
    return this.accessToken;
  }

  /** Forget the access token, e.g. after the socket was refused with `unauthorized`. */
  invalidate(): void {
    this.expiresAt = 0;
  }

  async login(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.raw('POST', '/api/auth/login', {
        email: this.email,
        password: this.password,
      });
      if (res.status === 200) return this.take(res.body as LoginResponse);
      if (res.status !== 429 || this.stopped()) throw this.errorOf(res, 'login');
      if (attempt === 0) this.log.warn(`${this.email}: login rate-limited, waiting`);
      await sleep(res.retryAfterMs ?? 5_000 + Math.random() * 5_000);
    }
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.raw(method, path, body, await this.token());
      if (res.status === 401 && attempt === 0) {
        this.invalidate();
        continue;
      }
      if (res.status === 429 && attempt < 5) {
        await sleep(res.retryAfterMs ?? 2_000);
        continue;
      }
      if (res.status >= 200 && res.status < 300) return res.body as T;
      throw this.errorOf(res, `${method} ${path}`);
    }
  }

  private renew(): Promise<void> {
    this.renewing ??= this.renewNow().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async renewNow(): Promise<void> {
    if (this.refreshToken) {
      const res = await this.raw('POST', '/api/auth/refresh', { refreshToken: this.refreshToken });
      if (res.status === 200) return this.take(res.body as LoginResponse);
    }
    await this.login();
  }

  private take(body: LoginResponse): void {
    this.accessToken = body.accessToken;
    this.refreshToken = body.refreshToken;
    this.expiresAt = expiryOf(body.accessToken);
    this.user = body.user;
  }

  private errorOf(res: { status: number; body: unknown }, what: string): ApiError {
    const message = (res.body as ErrorBody | null)?.message;
    const text = Array.isArray(message) ? message.join('; ') : (message ?? '');
    return new ApiError(res.status, `${what}: ${res.status} ${text}`.trim());
  }

  private async raw(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: unknown; retryAfterMs: number | null }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { message: text };
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    return {
      status: res.status,
      body: parsed,
      retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
    };
  }
}
