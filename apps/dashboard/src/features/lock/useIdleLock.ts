import { useCallback, useEffect, useRef, useState } from 'react';
import { authStore } from '../../auth/auth-store';

export const IDLE_LOCK_MS = 15 * 60_000;
const LOCKED_KEY = 'vigil.locked';
const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Locks after 15 minutes without a key press or pointer movement. The flag survives a reload,
 * so reloading a locked tab does not reveal patient data.
 */
export function useIdleLock(idleMs = IDLE_LOCK_MS): {
  locked: boolean;
  lock(): void;
  unlocked(): void;
} {
  const [locked, setLocked] = useState(() => localStorage.getItem(LOCKED_KEY) === '1');
  const lastActivity = useRef(Date.now());

  const lock = useCallback(() => {
    localStorage.setItem(LOCKED_KEY, '1');
    setLocked(true);
  }, []);
  const unlocked = useCallback(() => {
    localStorage.removeItem(LOCKED_KEY);
    lastActivity.current = Date.now();
    setLocked(false);
  }, []);

  // Signing out ends the lock: the next sign-in is itself the password check.
  useEffect(
    () =>
      authStore.subscribe((auth) => {
        if (!auth) localStorage.removeItem(LOCKED_KEY);
      }),
    [],
  );

  useEffect(() => {
    if (locked) return;
    const seen = () => {
      lastActivity.current = Date.now();
    };
    for (const e of ACTIVITY) window.addEventListener(e, seen, { passive: true });
    const timer = setInterval(
      () => {
        if (Date.now() - lastActivity.current >= idleMs) lock();
      },
      Math.min(5000, idleMs),
    );
    return () => {
      for (const e of ACTIVITY) window.removeEventListener(e, seen);
      clearInterval(timer);
    };
  }, [locked, idleMs, lock]);

  return { locked, lock, unlocked };
}
