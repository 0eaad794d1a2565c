import type { LoginResponse } from '@vigil/contracts';
import { authStore } from '../../auth/auth-store';

/**
 * Unlocking is a fresh login through the API with the locked user's account: a different
 * account's password does not open this user's screen.
 */
export async function unlockWithPassword(email: string, password: string): Promise<void> {
  const current = authStore.get();
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status === 401) throw new Error('The password is incorrect.');
  if (!res.ok) throw new Error(`Unlock failed (${res.status}). Try again.`);
  const body = (await res.json()) as LoginResponse;
  if (current && body.user.id !== current.user.id)
    throw new Error('That is another account. Sign out to switch user.');
  authStore.set({
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    user: body.user,
    email,
  });
}
