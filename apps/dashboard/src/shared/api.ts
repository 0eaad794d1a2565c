import { apiErrorInWords } from './api-error-words';
import { authStore } from '../auth/auth-store';
import { serverClock } from '../clock/server-clock';

/** `message` is in words for people (apiErrorInWords); `serverMessage` is what the server said. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly serverMessage: string | null = null,
    /** The server's `Retry-After` in seconds (a 429 or 503), for the outbox's next attempt. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** `Retry-After` as seconds (the API sends seconds, never an HTTP date); null when absent. */
function retryAfterOf(res: Response): number | null {
  const value = Number(res.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** JSON over fetch with the bearer token; one transparent refresh on 401. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const send = async (token: string | undefined) => {
    const sentAt = Date.now();
    const answer = await fetch(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // Every answer says the server's time: the dashboard judges ages by it (server-clock.ts). A
    // stand-in answer with no headers (a unit test's) says nothing.
    serverClock.observeDate(answer.headers?.get('date') ?? null, sentAt, Date.now());
    return answer;
  };
  let res: Response;
  try {
    res = await send(authStore.get()?.accessToken);
    if (res.status === 401 && authStore.get()) {
      const token = await authStore.refresh();
      if (token) res = await send(token);
    }
  } catch {
    // fetch rejects only when no answer came at all (offline, DNS, connection refused).
    throw new ApiError(0, apiErrorInWords(0));
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page, say: no JSON to read, the status says enough.
  }
  if (!res.ok) {
    const message = (parsed as { message?: unknown } | null)?.message;
    const server = typeof message === 'string' ? message : null;
    throw new ApiError(res.status, apiErrorInWords(res.status, server), server, retryAfterOf(res));
  }
  return parsed as T;
}
