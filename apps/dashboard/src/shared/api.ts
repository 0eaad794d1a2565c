import { authStore } from './auth-store';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** JSON over fetch with the bearer token; one transparent refresh on 401. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const send = (token: string | undefined) =>
    fetch(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let res = await send(authStore.get()?.accessToken);
  if (res.status === 401 && authStore.get()) {
    const token = await authStore.refresh();
    if (token) res = await send(token);
  }
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const message =
      (parsed as { message?: string } | null)?.message ??
      `${method} ${path} failed (${res.status})`;
    throw new ApiError(res.status, message);
  }
  return parsed as T;
}
