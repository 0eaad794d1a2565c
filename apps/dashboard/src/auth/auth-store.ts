import type { LoginResponse, TokenPair, UserSummary } from '@vigil/contracts';

/**
 * Tokens live in localStorage so a patient's phone survives a reload or a closed tab mid-session.
 * The access token is short-lived (15 min); the refresh token rotates on every use. (An httpOnly
 * refresh cookie would keep the refresh token from scripts; it needs CSRF protection and a
 * same-site deployment the phone app and devices do not share yet: see docs/API.md.)
 *
 * Every tab of the app shares the one stored login. A refresh is taken under a Web Lock that
 * all tabs share and re-reads storage inside it, so when two tabs find the access token expired
 * at once only the first spends the refresh token and the second adopts its result (the server
 * also forgives a just-rotated token for a few seconds, for browsers without Web Locks). A
 * `storage` listener keeps every tab on the latest tokens, and logs every tab out together.
 */
const KEY = 'vigil.auth';
const REFRESH_LOCK = 'vigil.auth.refresh';

function readStored(): StoredAuth | null {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    return raw ? (JSON.parse(raw) as StoredAuth) : null;
  } catch {
    return null;
  }
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

function withRefreshLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  return locks ? locks.request(REFRESH_LOCK, run) : run();
}

export interface StoredAuth extends TokenPair {
  user: UserSummary;
  /** The login email, so a locked screen can be unlocked with the password alone. */
  email?: string;
}

type Listener = (auth: StoredAuth | null) => void;

export class AuthStore {
  private current: StoredAuth | null = null;
  private readonly listeners = new Set<Listener>();
  private refreshing: Promise<string | null> | null = null;

  constructor() {
    this.current = readStored();
    // Another tab logged in, refreshed or logged out: follow it.
    globalThis.addEventListener?.('storage', (event: StorageEvent) => {
      if (event.key !== KEY && event.key !== null) return;
      this.current = readStored();
      for (const l of this.listeners) l(this.current);
    });
  }

  get(): StoredAuth | null {
    return this.current;
  }

  set(auth: StoredAuth | null): void {
    this.current = auth;
    if (auth) globalThis.localStorage?.setItem(KEY, JSON.stringify(auth));
    else globalThis.localStorage?.removeItem(KEY);
    for (const l of this.listeners) l(auth);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async login(email: string, password: string): Promise<StoredAuth> {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const body = (await res.json()) as LoginResponse & { message?: string };
    if (!res.ok)
      throw new Error(
        res.status === 401
          ? 'Email or password is incorrect.'
          : (body.message ?? `Login failed (${res.status})`),
      );
    const auth = {
      accessToken: body.accessToken,
      refreshToken: body.refreshToken,
      user: body.user,
      email,
    };
    this.set(auth);
    return auth;
  }

  /** One refresh at a time; resolves to the new access token or null (then the user must log in). */
  refresh(): Promise<string | null> {
    const stale = this.current?.accessToken;
    this.refreshing ??= withRefreshLock(async () => {
      // Inside the lock: another tab may have refreshed while this one waited.
      const auth = readStored() ?? this.current;
      if (!auth) {
        if (this.current) this.set(null);
        return null;
      }
      if (auth.accessToken !== stale) {
        if (auth.accessToken !== this.current?.accessToken) this.set(auth);
        return auth.accessToken;
      }
      try {
        const res = await fetch('/api/auth/refresh', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: auth.refreshToken }),
        });
        if (res.status === 401) {
          this.set(null);
          return null;
        }
        if (!res.ok) return null; // network or server trouble: keep the tokens and try again later
        const pair = (await res.json()) as TokenPair;
        this.set({ ...auth, ...pair });
        return pair.accessToken;
      } catch {
        return null;
      }
    }).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  async logout(): Promise<void> {
    const auth = this.current;
    this.set(null);
    if (auth) {
      await fetch('/api/auth/logout', {
        method: 'POST',
        headers: { authorization: `Bearer ${auth.accessToken}` },
      }).catch(() => undefined);
    }
  }
}

export const authStore = new AuthStore();
