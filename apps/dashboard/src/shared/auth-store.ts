import type { LoginResponse, TokenPair, UserSummary } from '@vigil/contracts';

/**
 * Tokens live in localStorage so a patient's phone survives a reload or a closed tab mid-session.
 * The access token is short-lived (15 min); the refresh token rotates on every use.
 */
const KEY = 'vigil.auth';

export interface StoredAuth extends TokenPair {
  user: UserSummary;
  /** The login email, so a locked screen can be unlocked with the password alone. */
  email?: string;
}

type Listener = (auth: StoredAuth | null) => void;

class AuthStore {
  private current: StoredAuth | null = null;
  private readonly listeners = new Set<Listener>();
  private refreshing: Promise<string | null> | null = null;

  constructor() {
    try {
      const raw = globalThis.localStorage?.getItem(KEY);
      this.current = raw ? (JSON.parse(raw) as StoredAuth) : null;
    } catch {
      this.current = null;
    }
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
    this.refreshing ??= (async () => {
      const auth = this.current;
      if (!auth) return null;
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
      } finally {
        this.refreshing = null;
      }
    })();
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
